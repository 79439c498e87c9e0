// Spreadsheet registers at scale (issue 10: "100,000-row XLSX import under
// 3 s, export under 3 s"): a register of 100,000 activities in every column
// of the VNG layout, exported to XLSX and CSV (LayoutTable + WriteXlsx /
// CsvTable, what `blindspot export` does after reading the register), read
// back cell by cell (sheet::ReadXlsx), and imported (the spreadsheet
// importer: cells to a validated register, what `blindspot import` does
// before writing it). bench/sheet_compare.sh runs this side by side with
// openpyxl on the same workbook. Run: build/<dir>/bench/sheet_bench
#include <benchmark/benchmark.h>
#include <fmt/format.h>

#include <cstdio>

#include "blindspot/io.h"
#include "blindspot/sheet.h"
#include "cli/allocator.h"
#include "io/exporters.h"

namespace {

using namespace blindspot;

constexpr int kRows = 100000;

const Register& Big() {
  static const Register reg = [] {
    Register r;
    r.version = "1";
    r.organisation.name = "Gemeente Voorbeeld";
    for (int s = 0; s < 100; ++s) {
      System sys;
      sys.id = fmt::format("system-{}", s);
      sys.name = fmt::format("Zaaksysteem {}", s);
      r.systems.push_back(sys);
      Processor p;
      p.id = fmt::format("processor-{}", s);
      p.name = fmt::format("Leverancier {} B.V.", s);
      r.processors.push_back(p);
    }
    for (int i = 0; i < kRows; ++i) {
      ProcessingActivity a;
      a.id = fmt::format("verwerking-{}", i);
      a.name = fmt::format("Verwerking {} van team {}", i, i % 37);
      a.description = "Aanvragen ontvangen, beoordelen en besluiten; gegevens uit de BRP.";
      a.business_function = fmt::format("Afdeling {}", i % 23);
      a.owner = "Teamleider";
      Purpose p1;
      p1.description = "Aanvraag beoordelen";
      p1.lawful_basis = LawfulBasis::kPublicTask;
      p1.legal_obligation = "Participatiewet art. 7";
      Purpose p2;
      p2.description = "Klanttevredenheid meten";
      p2.lawful_basis = i % 2 ? LawfulBasis::kConsent : LawfulBasis::kPublicTask;
      a.purposes = {p1, p2};
      a.data_subjects = {"aanvragers", "huisgenoten"};
      a.data_categories = {"user.name", "user.contact.address", "user.contact.email"};
      if (i % 5 == 0) {
        SpecialCategory h;
        h.category = "user.health";
        h.condition = 'b';
        a.special_categories.push_back(h);
      }
      Recipient in;
      in.kind = RecipientKind::kInternal;
      in.name = "Team handhaving";
      Recipient proc;
      proc.kind = RecipientKind::kProcessor;
      proc.processor = fmt::format("processor-{}", i % 100);
      a.recipients = {in, proc};
      if (i % 10 == 0) {
        Transfer t;
        t.recipient = proc.processor;
        t.country = "US";
        t.safeguard = TransferSafeguard::kSccs;
        a.transfers.push_back(t);
      }
      Retention rt;
      rt.data_category = "*";
      rt.period = "P7Y";
      rt.justification = "Archiefwet";
      a.retention = {rt};
      a.toms.description = "Toegang op rol, logging.";
      a.toms.measures = {"access_control", "logging"};
      a.data_sources = {"Betrokkene", "BRP"};
      a.systems = {fmt::format("system-{}", i % 100)};
      a.dpia.status = i % 3 ? DpiaStatus::kNotRequired : DpiaStatus::kCompleted;
      r.activities.push_back(std::move(a));
    }
    return r;
  }();
  return reg;
}

const std::string& Exported(const char* format) {
  static std::string xlsx, csv;
  std::string& out = std::string_view(format) == "xlsx" ? xlsx : csv;
  if (out.empty()) out = FindExporter(format)->write(Big(), ExportOptions{}).value();
  return out;
}

void BM_Export(benchmark::State& state, const char* format) {
  const Exporter* e = FindExporter(format);
  (void)Big();  // the register is built once, before the timing (it was in the first run's time)
  size_t bytes = 0;
  for (auto _ : state) {
    auto out = e->write(Big(), ExportOptions{});
    if (!out) {
      state.SkipWithError(out.error().Format().c_str());
      return;
    }
    bytes = out->size();
    benchmark::DoNotOptimize(out->data());
  }
  state.counters["rows"] = kRows;
  state.counters["MB"] = static_cast<double>(bytes) / 1e6;
}

void BM_ReadCells(benchmark::State& state, const char* format) {
  const std::string& bytes = Exported(format);
  for (auto _ : state) {
    auto wb = std::string_view(format) == "xlsx" ? sheet::ReadXlsx(bytes, "big.xlsx")
                                                 : sheet::ReadCsv(bytes, "big.csv");
    if (!wb || wb->sheets.empty() || wb->sheets[0].rows.size() != kRows + 1) {
      state.SkipWithError("the workbook did not read back whole");
      return;
    }
    benchmark::DoNotOptimize(wb->sheets[0].rows.data());
  }
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations()) * static_cast<int64_t>(bytes.size()));
  state.counters["rows"] = kRows;
}

void BM_Import(benchmark::State& state, const char* format) {
  const std::string& bytes = Exported(format);
  const Importer* imp = FindImporter("spreadsheet");
  for (auto _ : state) {
    auto reg = imp->import(bytes, std::string("big.") + format, RegisterReadOptions{});
    if (!reg || reg->reg.activities.size() != kRows) {
      state.SkipWithError(reg ? "not every row came back" : reg.error().front().Format().c_str());
      return;
    }
    benchmark::DoNotOptimize(reg->reg.activities.data());
  }
  state.counters["rows"] = kRows;
}

// The XLSX export's two stages apart: the register to the layout's cells
// (LayoutTable), and the cells to the workbook's bytes (WriteXlsx).
void BM_ExportStage(benchmark::State& state, const char* stage) {
  const bool table = std::string_view(stage) == "table";
  static const FlatTable cells = LayoutTable(Big(), "nl-vng");
  for (auto _ : state) {
    if (table) {
      FlatTable t = LayoutTable(Big(), "nl-vng");
      benchmark::DoNotOptimize(t.rows.data());
    } else {
      XlsxSheet s;
      s.name = "Verwerkingsregister";
      s.header = cells.header;
      s.rows = cells.rows;
      auto out = WriteXlsx({s});
      if (!out) {
        state.SkipWithError(out.error().Format().c_str());
        return;
      }
      benchmark::DoNotOptimize(out->data());
    }
  }
  state.counters["rows"] = kRows;
}

BENCHMARK_CAPTURE(BM_Export, xlsx, "xlsx")->Unit(benchmark::kMillisecond)->Iterations(3);
BENCHMARK_CAPTURE(BM_Export, csv, "csv")->Unit(benchmark::kMillisecond)->Iterations(3);
BENCHMARK_CAPTURE(BM_ExportStage, table, "table")->Unit(benchmark::kMillisecond)->Iterations(3);
BENCHMARK_CAPTURE(BM_ExportStage, write_xlsx, "write")->Unit(benchmark::kMillisecond)->Iterations(3);
BENCHMARK_CAPTURE(BM_ReadCells, xlsx, "xlsx")->Unit(benchmark::kMillisecond)->Iterations(3);
BENCHMARK_CAPTURE(BM_ReadCells, csv, "csv")->Unit(benchmark::kMillisecond)->Iterations(3);
BENCHMARK_CAPTURE(BM_Import, xlsx, "xlsx")->Unit(benchmark::kMillisecond)->Iterations(3);
BENCHMARK_CAPTURE(BM_Import, csv, "csv")->Unit(benchmark::kMillisecond)->Iterations(3);

}  // namespace

// `sheet_bench --write-csv FILE` writes the benchmark's register in the VNG
// layout as CSV (for bench/sheet_compare.sh) and runs nothing else.
int main(int argc, char** argv) {
  blindspot::TuneAllocator(/*batch=*/true);  // as `blindspot import` / `export`
  if (argc == 3 && std::string_view(argv[1]) == "--write-csv") {
    std::FILE* f = std::fopen(argv[2], "wb");
    if (!f) return 2;
    const std::string& csv = Exported("csv");
    bool ok = std::fwrite(csv.data(), 1, csv.size(), f) == csv.size();
    return std::fclose(f) == 0 && ok ? 0 : 2;
  }
  benchmark::Initialize(&argc, argv);
  if (benchmark::ReportUnrecognizedArguments(argc, argv)) return 1;
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  return 0;
}
