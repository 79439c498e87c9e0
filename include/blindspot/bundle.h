// Evidence bundles (`blindspot scan --out DIR`, docs/formats/evidence.md): the
// manifest that seals a bundle, SHA-256, the result of checking a bundle
// against its manifest (verify), and the comparison of two captures (diff).
//
// The module does no I/O: the application layer reads the manifest and the
// files through an Env (app::VerifyBundle, app::OpenBundleEvidence) and hands
// text over. SerializeManifest is the one writer of manifest.json and
// ParseManifest its one reader: the format lives here.
#pragma once
#include <cstdint>
#include <map>
#include <memory>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "blindspot/detect.h"
#include "blindspot/error.h"
#include "blindspot/evidence.h"
#include "blindspot/sha256.h"  // Sha256Hex, Sha256: the manifest's digests

namespace blindspot {

// ---- manifest.json --------------------------------------------------------------

inline constexpr std::string_view kManifestName = "manifest.json";
inline constexpr std::string_view kBundleFormat = "blindspot-evidence";
inline constexpr int64_t kBundleFormatVersion = 1;

struct ManifestTool {
  std::string name;     // "blindspot"
  std::string version;  // "0.2.0"
};

struct ManifestBrowser {
  std::string product;     // "Chrome/156.0.8078.114" (CDP Browser.getVersion)
  std::string user_agent;  // the user agent the pages saw
  std::string protocol;    // the DevTools protocol version ("1.3")
};

// The scan options as given (defaults filled in).
struct ManifestOptions {
  uint64_t pages = 0;
  uint64_t concurrency = 0;
  uint64_t page_timeout_s = 0;
  uint64_t timeout_s = 0;
  std::string lang;
  bool mobile = false;
  std::string user_agent;  // empty: the browser's own
  bool fill_forms = false;
  bool no_private_networks = false;
};

struct ManifestPhase {
  ConsentPhase phase = ConsentPhase::kUnknown;  // written as its folder name ("before-consent")
  std::string har;                              // "before-consent/capture.har" (listed in files)
  std::string scan;                             // "before-consent/scan.json" (listed in files; may be empty)
  uint64_t pages = 0;
  uint64_t requests = 0;
};

struct ManifestFile {
  std::string path;    // relative to the bundle, '/'-separated ("before-consent/capture.har")
  std::string sha256;  // 64 lower-case hex digits
  uint64_t bytes = 0;
};

struct Manifest {
  ManifestTool tool;
  ManifestBrowser browser;
  std::vector<std::string> command;  // the argument vector exactly as given
  std::string start_url;             // "https://www.example.nl/"
  std::string site;                  // the site's registrable domain ("example.nl")
  std::string started;               // ISO 8601 UTC: "2026-12-02T10:00:00Z"
  std::string finished;
  ManifestOptions options;
  std::vector<ManifestPhase> phases;  // in scan order
  std::vector<ManifestFile> files;    // every file but manifest.json; written sorted by path
  const ManifestFile* FindFile(std::string_view path) const;
};

// manifest.json as the format defines it: two-space indented JSON, keys in the
// documented order, `files` sorted by path, ending in a newline. The same
// manifest gives the same bytes (its SHA-256 is the bundle's seal).
std::string SerializeManifest(const Manifest& m);

// Reads manifest.json text. `label` names the file in errors. Every problem
// is an Error with the JSON path (Error::path: "files[2].sha256"), what was
// expected and what was found: kParse for text that is not JSON (byte
// offset), kSchema for a wrong shape (not the blindspot-evidence format, a
// newer format_version, a missing or unknown key, a wrong type, a phase name
// that is not a phase folder, a time that is not ISO 8601 UTC, a sha256 that
// is not 64 lower-case hex digits, a path that leaves the bundle or is
// manifest.json itself), kReference for a path listed twice or a phase whose
// har/scan is not in `files`. The first problem is returned.
Result<Manifest> ParseManifest(std::string_view text, const std::string& label);

// A path inside a bundle as `files` lists it: relative, '/'-separated, no
// empty, "." or ".." component, no backslash or control character.
bool IsSafeBundlePath(std::string_view path);

// ---- verify -----------------------------------------------------------------------

enum class FileState {
  kOk,       // size and SHA-256 as the manifest says
  kChanged,  // another size or SHA-256 (or no longer a regular file)
  kMissing,  // listed in the manifest, not in the folder
  kExtra,    // in the folder, not in the manifest
};
std::string_view ToString(FileState);  // "ok", "changed", "missing", "extra"

struct FileCheck {
  std::string path;  // relative to the bundle
  FileState state = FileState::kOk;
  // kOk/kChanged/kMissing: what the manifest says; kOk/kChanged/kExtra: what
  // the file is now (kChanged without a regular file: actual_sha256 empty).
  uint64_t expected_bytes = 0, actual_bytes = 0;
  std::string expected_sha256, actual_sha256;
};

struct BundleCheck {
  std::string dir;              // as given
  std::string manifest_sha256;  // the seal: SHA-256 of manifest.json's bytes
  Manifest manifest;
  std::vector<FileCheck> files;  // sorted by path: the manifest's files and the extra ones
  size_t Count(FileState s) const;
  bool intact() const;  // every file ok, none extra
};

// ---- diff -------------------------------------------------------------------------

// What one capture (one consent phase of a bundle, or one HAR) showed, as sets
// that two captures can be compared by.
struct CaptureSnapshot {
  std::map<std::string, std::string> touchpoints;  // kb id -> product name (inferred ones left out)
  std::set<std::string> third_parties;             // registrable domains (eTLD+1) of third-party hosts
  std::set<std::string> unidentified;              // registrable domains of unidentified trackers
  std::set<std::string> cookies;                   // "name @ domain" (see CookieKey)
};

// A cookie's identity in a diff: "_fbp @ example.nl": its name and the
// registrable domain of its Domain attribute, else of the request's host.
// Values are never part of it.
std::string CookieKey(const Cookie& c, std::string_view request_host);

// The snapshot of a detection over one capture; `cookies` from its records.
CaptureSnapshot SnapshotOf(const DetectionResult& d, std::set<std::string> cookies);

struct SetChange {
  std::vector<std::string> appeared, disappeared;  // sorted
  size_t size() const { return appeared.size() + disappeared.size(); }
};

struct PhaseDiff {
  ConsentPhase phase = ConsentPhase::kUnknown;  // kUnknown: two HAR files
  bool in_old = true, in_new = true;            // a phase only one side holds: all appeared/disappeared
  SetChange touchpoints;                        // kb ids
  SetChange third_parties;
  SetChange unidentified;
  SetChange cookies;
  std::map<std::string, std::string> names;  // kb id -> product name, for both sides
  size_t changes() const;
};

struct EvidenceDiff {
  std::string old_name, new_name;  // as given (base names)
  std::vector<PhaseDiff> phases;   // in scan order
  size_t changes() const;
};

// Compares two captures of one phase.
PhaseDiff DiffSnapshots(ConsentPhase phase, const CaptureSnapshot* old_snap, const CaptureSnapshot* new_snap);

}  // namespace blindspot
