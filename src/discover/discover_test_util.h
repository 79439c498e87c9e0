// Helpers for the discovery readers' tests (src/discover/*_test.cc): reading
// a real file in place, reading bytes with a reader that must succeed, and
// counting or finding observations.
#pragma once
#include <gtest/gtest.h>

#include <fstream>
#include <functional>
#include <sstream>
#include <string>

#include "blindspot/discovery.h"
#include "blindspot_testing/realdata.h"

namespace blindspot::discover::testing {

inline std::string RealDns(const std::string& name) {
  return std::string(BLINDSPOT_REALDATA_DIR) + "/dns/" + name;
}

inline std::string Slurp(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

// A file of ../shared/realdata by its path under it ("gtm/x.json"); empty when absent.
inline std::string ReadRealFile(const std::string& relative) {
  return Slurp(std::string(BLINDSPOT_REALDATA_DIR) + "/" + relative);
}

// `bytes` read by `reader` as `file`; a failure is a test failure (and an empty report).
inline DiscoveryReport ReadOk(const DiscoveryReader& reader, std::string_view bytes, const std::string& file,
                              const DiscoveryOptions& options = {}) {
  auto r = reader.read(bytes, file, options);
  EXPECT_TRUE(r.has_value()) << (r ? "" : r.error().Format());
  return r ? *r : DiscoveryReport{};
}

inline size_t Count(const DiscoveryReport& r, ObservationKind kind,
                    const std::function<bool(const Observation&)>& pred = {}) {
  size_t n = 0;
  for (const Observation& o : r.observations)
    if (o.kind == kind && (!pred || pred(o))) ++n;
  return n;
}

// The first observation of `kind` with this key and subject, or nullptr.
inline const Observation* Find(const DiscoveryReport& r, ObservationKind kind, std::string_view key,
                               std::string_view subject) {
  for (const Observation& o : r.observations)
    if (o.kind == kind && o.key == key && o.subject == subject) return &o;
  return nullptr;
}

// How many warnings (notes excluded) hold `text`.
inline size_t Warnings(const DiscoveryReport& r, std::string_view text) {
  size_t n = 0;
  for (const Error& w : r.warnings)
    if (!w.note && w.message.find(text) != std::string::npos) ++n;
  return n;
}

inline std::string Dump(const DiscoveryReport& r) {
  std::string s;
  for (const Observation& o : r.observations) {
    s += std::string(ToString(o.kind)) + " " + o.key + " @ " + o.subject + " [" +
         std::string(ToString(o.proof)) + "] " + o.location;
    for (const auto& [k, v] : o.attrs) s += " " + k + "=" + v;
    s += "\n";
  }
  for (const Error& w : r.warnings) s += w.Format() + "\n";
  return s;
}

}  // namespace blindspot::discover::testing
