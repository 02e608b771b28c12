// Run in CI (.ci/run) against the served API: Swagger UI, in a real Chromium, renders the document's
// bilingual examples — a Russian offer and a Chinese need as request bodies, a match with its
// explanation as a response — and no placeholder examples. Usage:
//   node check.mjs <api base url> <screenshot.png>
// Needs playwright-core and Debian's chromium (/usr/bin/chromium, or CHROMIUM=<path>).
import { chromium } from "playwright-core";

const [base, screenshot] = process.argv.slice(2);
if (!base || !screenshot) {
  console.error("usage: node check.mjs <api base url> <screenshot.png>");
  process.exit(2);
}

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM ?? "/usr/bin/chromium",
  // The flags keep a closed network from stalling Chromium on its own background connections.
  args: ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
    "--disable-component-update", "--disable-sync"],
});
const failures = [];
try {
  const page = await browser.newPage({ viewport: { width: 1400, height: 1000 } });
  const errors = [];
  page.on("pageerror", e => errors.push(e.message));
  await page.goto(`${base}/swagger/index.html`, { waitUntil: "networkidle" });
  await page.waitForSelector(".opblock", { timeout: 30_000 });

  // Expands an operation and gives its rendered text.
  async function operation(tag, id) {
    const block = page.locator(`#operations-${tag}-${id}`);
    await block.locator(".opblock-summary").first().click();
    await block.locator(".opblock-body").waitFor({ timeout: 10_000 });
    await block.locator(".highlight-code").first().waitFor({ timeout: 10_000 });
    return { block, text: await block.innerText() };
  }

  function expect(what, text, ...needles) {
    for (const needle of needles)
      if (!text.includes(needle)) failures.push(`${what}: "${needle}" is not rendered`);
  }

  const offer = await operation("Offers", "CreateOffer");
  expect("POST /api/v1/offers request example", offer.text, "Погружной насос высокого напора", "高扬程潜水泵", "\"country\": \"RU\"");
  const need = await operation("Needs", "CreateNeed");
  expect("POST /api/v1/needs request example", need.text, "矿山排水用高扬程潜水泵", "\"country\": \"CN\"");
  const organization = await operation("Organizations", "CreateOrganization");
  expect("POST /api/v1/organizations request example", organization.text, "Уральский насосный завод", "乌拉尔水泵厂", "\"type\": \"enterprise\"");
  const match = await operation("Matching", "MatchNeed");
  expect("GET /api/v1/needs/{id}/matches response example", match.text, "\"explanation\"", "\"translatedTerms\"", "\"score\"");
  // The bilingual labels of the code sets are in the rendered descriptions.
  expect("GET /api/v1/needs/{id}/matches parameters", match.text, "新材料", "Новые материалы");
  // Problems are examples in the server's words, Chinese first (Russian and English in the list).
  expect("GET /api/v1/needs/{id}/matches 404 example", match.text, "不存在 id 为", "技术需求");
  for (const [name, { text }] of [["offers", offer], ["needs", need], ["organizations", organization], ["matches", match]])
    if (/"\w+": "string"/.test(text)) failures.push(`${name}: a placeholder "string" example is rendered`);
  if (errors.length) failures.push(`the page threw: ${errors.join("; ")}`);

  await match.block.scrollIntoViewIfNeeded();
  await page.screenshot({ path: screenshot, fullPage: false });
} finally {
  await browser.close();
}

if (failures.length) {
  console.error("Swagger UI check failed:\n  " + failures.join("\n  "));
  process.exit(1);
}
console.log(`Swagger UI renders the bilingual examples (screenshot: ${screenshot}).`);
