// Compiled in CI (tsc --strict --noEmit) against the types openapi-typescript generates from the
// served /openapi/v1.json: a client written by an integrator must type-check without casts.
import type { components, operations, paths } from "./api";

type MatchResponse = components["schemas"]["MatchResponse"];
type Listing = components["schemas"]["ListingResponse"];
type ListingRequest = components["schemas"]["ListingRequest"];
type SearchQuery = NonNullable<operations["SearchOffers"]["parameters"]["query"]>;

// Numbers are numbers (not number | string).
export function bestScore(answer: MatchResponse): number {
  return answer.items.reduce((best, item) => Math.max(best, item.score), 0);
}

export function readiness(listing: Listing): number {
  const trl: number = listing.trl;
  return trl + listing.version * 0;
}

// Code sets are unions: a typo in a field or cooperation form code does not compile.
export const offer: ListingRequest = {
  externalRef: "erp-4711",
  title: { zh: "高扬程潜水泵", ru: "Погружной насос высокого напора" },
  description: { zh: "适用于矿山排水的潜水泵。", ru: "Погружной насос для водоотлива шахт." },
  field: "transport-machinery",
  trl: 8,
  cooperationForms: ["licensing", "co-production"],
  country: "RU",
};

// @ts-expect-error: "materials" is no field code (the line fails to compile if field were a plain string).
export const wrongField: ListingRequest["field"] = "materials";
// @ts-expect-error: a score is a number, never a string.
export const wrongScore: MatchResponse["items"][number]["score"] = "0.8";

// Query parameters are camelCase, as the server reads them.
export const query: SearchQuery = { q: "潜水泵 насос", trlMin: 6, form: ["licensing"], lang: "zh", limit: 20 };

export function explainedTerms(answer: MatchResponse): string[] {
  return answer.items.flatMap(item => (item.explanation?.translatedTerms ?? []).map(t => `${t.source} → ${t.target}`));
}

export type MatchPath = paths["/api/v1/needs/{id}/matches"]["get"];
