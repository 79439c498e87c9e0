// Use case: a live DNS snapshot of a domain (`blindspot discover dns`). The
// lookup is the library's (src/dnslive, the network behind its Resolver); this
// checks the request, writes the zone through the Env and reads it back as
// `audit --evidence` would, for the summary.
#include <algorithm>

#include "blindspot/app.h"
#include "blindspot/catalog.h"
#include "blindspot/discovery.h"
#include "blindspot/text_ids.h"

namespace blindspot::app {
namespace {

Diagnostics One(Error e) { return Diagnostics{std::move(e)}; }
std::string Say(const Options& o, const Message& m) { return TextCatalog::Builtin().Render(m, o.lang); }

}  // namespace

std::expected<DiscoverDnsOutcome, Diagnostics> DiscoverDns(const Options& o, const DiscoverDnsRequest& r) {
  auto domain = dnslive::NormaliseDomain(r.domain);
  if (!domain) return std::unexpected(One(domain.error()));
  DiscoverDnsOutcome out;
  out.out_path = r.out_path.empty() ? *domain + ".zone" : r.out_path;
  if (out.out_path != "-") {
    SourceLocation where;
    where.file = out.out_path;
    auto st = o.env->Stat(out.out_path);
    if (!st) return std::unexpected(One(st.error()));
    if (out.out_path.ends_with('/') || st->is_directory)
      return std::unexpected(One(MakeError(ErrorKind::kUsage, "--out names a folder, not a file", where,
                                           "a file name", "e.g. --out " + *domain + ".zone")
                                     .error()));
    if (st->exists && !r.force)
      return std::unexpected(One(MakeError(ErrorKind::kUsage, "--out " + out.out_path + " already exists",
                                           where, "a new file", "give another name, or --force to replace it")
                                     .error()));
  }
  auto probes = dnslive::BuiltinProbes();
  if (!probes) return std::unexpected(One(probes.error()));
  auto index = LoadKbIndex(o);
  if (!index) return std::unexpected(One(index.error()));
  auto resolver = dnslive::NewLdnsResolver(r.resolver);
  if (!resolver) return std::unexpected(One(resolver.error()));
  auto lookup = dnslive::Lookup(
      **resolver, *domain, *probes, [&] { return o.env->NowIso(); }, r.resolver.timeout);
  if (!lookup) return std::unexpected(One(lookup.error()));
  out.lookup = std::move(*lookup);
  out.zone = dnslive::ZoneText(out.lookup, kVersion);

  // Read back as audit --evidence would: the touchpoints the snapshot shows.
  std::string name = out.out_path == "-" ? *domain + ".zone" : out.out_path;
  if (const DiscoveryReader* reader = FindDiscoveryReader("dns-zonefile"); reader != nullptr) {
    auto report = reader->read(out.zone, name, {});
    if (report) {
      auto d = Detect(*index, {}, {}, {{name, std::make_shared<const DiscoveryReport>(std::move(*report))}});
      if (d) {
        // Records mostly prove "configured" (an inference): every product is listed.
        for (const DetectedTouchpoint& t : d->touchpoints) out.touchpoints.push_back(t.kb_id);
      }
    }
  }

  size_t answered = 0, nxdomain = 0, failed = 0;
  for (const dnslive::Asked& a : out.lookup.asked) {
    switch (a.answer.status) {
      case dnslive::AnswerStatus::kRecords:
        ++answered;
        break;
      case dnslive::AnswerStatus::kNoData:
        break;
      case dnslive::AnswerStatus::kNxDomain:
        ++nxdomain;
        break;
      default:
        ++failed;
    }
  }
  out.lines.push_back(Say(o, Message(ui::discover_dns_answers)
                                 .Text("domain", out.lookup.domain)
                                 .Number("questions", static_cast<int64_t>(out.lookup.asked.size()))
                                 .Text("resolver", out.lookup.resolver)
                                 .Number("answered", static_cast<int64_t>(answered))
                                 .Number("nxdomain", static_cast<int64_t>(nxdomain))
                                 .Number("failed", static_cast<int64_t>(failed))));
  std::string list;
  for (const std::string& t : out.touchpoints) list += (list.empty() ? "" : ", ") + t;
  out.lines.push_back(list.empty() ? Say(o, Message(ui::scan_no_touchpoints))
                                   : Say(o, Message(ui::scan_touchpoints_line).Text("list", list)));
  if (out.out_path == "-") return out;
  if (auto s = o.env->WriteFileAtomic(out.out_path, out.zone); !s) return std::unexpected(One(s.error()));
  out.written = true;
  out.lines.push_back(Say(o, Message(ui::discover_dns_written)
                                 .Text("file", out.out_path)
                                 .Number("records", static_cast<int64_t>(out.lookup.records()))));
  out.lines.push_back(Say(o, Message(ui::discover_dns_next_step).Text("file", out.out_path)));
  return out;
}

}  // namespace blindspot::app
