using Marketplace.Cli;
using Spectre.Console;

// marketplace import <file.ndjson> --kind offers|needs --api <url> --key <key> [--batch 2000]
// marketplace generate <count> --out <folder> [--seed 42] [--needs-share 0.3]
return args.FirstOrDefault() switch
{
    "import" => await ImportCommand.RunAsync(args[1..]),
    "generate" => GenerateCommand.Run(args[1..]),
    _ => Usage(),
};

static int Usage()
{
    AnsiConsole.MarkupLine("""
        [bold]marketplace[/] — tools for agencies and operators of Marketplace

          [green]import[/] <file.ndjson> --kind offers|needs --api <url> --key <key> [[--batch 2000]]
              Upserts every line through POST /api/v1/{kind}/bulk with a progress bar; rerunning resumes after
              the last completed batch and changes nothing that is already stored. Lines in the SCHEMA.md
              format ([italic]ref[/] instead of [italic]externalRef[/]) are accepted.
          [green]generate[/] <count> --out <folder> [[--seed 42]] [[--needs-share 0.3]]
              Writes offers.jsonl and needs.jsonl: bilingual listings built from the glossary (SCHEMA.md format).
        """);
    return 2;
}
