// Project facts (docs/leak-unbounded-global-cache.md, "Across translation
// units"): this TU grows gHits (declared extern in Inputs/facts-cache/cache.h)
// with run-time keys and fills `routes` from registerRoute's parameter. What
// the other TU does decides: trim.cpp trims gHits and registers only literal
// routes; notrim.cpp does neither. Every verdict with a store differs from the
// same run without one (TODAY, EXT-TODAY).
//
// Stores as leak-tidy-run's phase 1 builds them: both TUs exported, merged.
// RUN: rm -rf %t && mkdir -p %t/trim %t/notrim
// RUN: %clang_tidy_plugin --checks='-*,leak-unbounded-global-cache' --quiet --config="{CheckOptions: {leak.ProjectFacts: '%t/trim', leak.ExportFacts: true}}" %S/Inputs/facts-cache/trim.cpp %s -- -std=c++17 -I%S/Inputs/facts-cache > %t/trim.log 2>&1
// RUN: %python %leak_src/tools/leaktidy/facts.py merge %t/trim
// RUN: %clang_tidy_plugin --checks='-*,leak-unbounded-global-cache' --quiet --config="{CheckOptions: {leak.ProjectFacts: '%t/notrim', leak.ExportFacts: true}}" %S/Inputs/facts-cache/notrim.cpp %s -- -std=c++17 -I%S/Inputs/facts-cache > %t/notrim.log 2>&1
// RUN: %python %leak_src/tools/leaktidy/facts.py merge %t/notrim
//
// Today (no store): gHits is not judged (another TU may trim it); routes is
// reported because other TUs "may call" registerRoute with anything.
// RUN: %clang_tidy_plugin --checks='-*,leak-unbounded-global-cache' --quiet %s -- -std=c++17 -I%S/Inputs/facts-cache 2>&1 | %FileCheck %s --check-prefix=TODAY --implicit-check-not=warning:
// The other TU trims gHits and passes literals: silent (option or environment).
// RUN: %clang_tidy_plugin --checks='-*,leak-unbounded-global-cache' --quiet --config="{CheckOptions: {leak.ProjectFacts: '%t/trim'}}" %s -- -std=c++17 -I%S/Inputs/facts-cache 2>&1 | %FileCheck %s --allow-empty --check-prefix=SILENT --implicit-check-not=warning:
// RUN: env LEAK_TIDY_PROJECT_FACTS=%t/trim %clang_tidy_plugin --checks='-*,leak-unbounded-global-cache' --quiet %s -- -std=c++17 -I%S/Inputs/facts-cache 2>&1 | %FileCheck %s --allow-empty --check-prefix=SILENT --implicit-check-not=warning:
// With AssumeExternalContainersUnbounded, today reports gHits; the store shows
// the other TU trimming it.
// RUN: %clang_tidy_plugin --checks='-*,leak-unbounded-global-cache' --quiet --config="{CheckOptions: {leak-unbounded-global-cache.AssumeExternalContainersUnbounded: true}}" %s -- -std=c++17 -I%S/Inputs/facts-cache 2>&1 | %FileCheck %s --check-prefix=EXT-TODAY --implicit-check-not=warning:
// RUN: %clang_tidy_plugin --checks='-*,leak-unbounded-global-cache' --quiet --config="{CheckOptions: {leak-unbounded-global-cache.AssumeExternalContainersUnbounded: true, leak.ProjectFacts: '%t/trim'}}" %s -- -std=c++17 -I%S/Inputs/facts-cache 2>&1 | %FileCheck %s --check-prefix=EXT-SILENT --implicit-check-not=warning:
//
// The other TU neither trims nor passes literals: both reported, with notes
// into notrim.cpp. Phase 1 saw no store, so its recorded digests differ from
// the store's (the driver re-runs this TU); the re-run (phase 2, exporting
// again) records what facts.py computes, before and after the next merge.
// RUN: not %python %S/Inputs/facts-cache/check_digests.py %leak_src %t/notrim %s
// RUN: %clang_tidy_plugin --checks='-*,leak-unbounded-global-cache' --quiet --config="{CheckOptions: {leak.ProjectFacts: '%t/notrim', leak.ExportFacts: true}}" %s -- -std=c++17 -I%S/Inputs/facts-cache 2>&1 | %FileCheck %s --check-prefix=REPORTED --implicit-check-not=warning:
// RUN: %python %S/Inputs/facts-cache/check_digests.py %leak_src %t/notrim %s | %FileCheck %s --check-prefix=DIGESTS
// RUN: %python %leak_src/tools/leaktidy/facts.py merge %t/notrim
// RUN: %python %S/Inputs/facts-cache/check_digests.py %leak_src %t/notrim %s | %FileCheck %s --check-prefix=DIGESTS
//
// A directory that does not exist is a configuration error; the check then
// runs as without facts.
// RUN: %clang_tidy_plugin --checks='-*,leak-unbounded-global-cache' --quiet --config="{CheckOptions: {leak.ProjectFacts: '%t/missing'}}" %s -- -std=c++17 -I%S/Inputs/facts-cache 2>&1 | %FileCheck %s --check-prefixes=MISSING,TODAY
#include "cache.h"

std::map<std::string, int> gHits;
static std::map<std::string, int> routes;

void registerRoute(const std::string &path) {
  routes[path] = 1;
}

void onRequest(const std::string &url) {
  gHits[url]++;
}

// MISSING: warning: option 'leak.ProjectFacts': the project facts directory '{{.*}}missing' does not exist; project facts are not used
//
// TODAY: leak-unbounded-global-cache-project.cpp:42:35: warning: global std::map 'routes' only grows
// TODAY: leak-unbounded-global-cache-project.cpp:45:3: note: grows here: 'operator[]' adds a key from parameter 'path' of 'registerRoute', which other translation units may call
//
// SILENT-NOT: warning
//
// EXT-TODAY: leak-unbounded-global-cache-project.cpp:41:28: warning: global std::map 'gHits' only grows
// EXT-TODAY: leak-unbounded-global-cache-project.cpp:42:35: warning: global std::map 'routes' only grows
// EXT-SILENT: leak-unbounded-global-cache-project.cpp:42:35: warning: global std::map 'routes' only grows
//
// REPORTED: leak-unbounded-global-cache-project.cpp:41:28: warning: global std::map 'gHits' only grows: entries are added with run-time keys and never removed
// REPORTED: leak-unbounded-global-cache-project.cpp:49:3: note: grows here: 'operator[]' adds a key from parameter 'url'
// REPORTED: Inputs/facts-cache/notrim.cpp:6:1: note: 'gHits' is also used in another translation unit here; no translation unit of the project removes its entries or caps it (project facts)
// REPORTED: leak-unbounded-global-cache-project.cpp:42:35: warning: global std::map 'routes' only grows
// REPORTED: leak-unbounded-global-cache-project.cpp:45:3: note: grows here: 'operator[]' adds a key from parameter 'path' of 'registerRoute', which another translation unit calls with a run-time value
// REPORTED: Inputs/facts-cache/notrim.cpp:11:1: note: 'registerRoute' is called with a run-time value here (project facts)
//
// DIGESTS: 2 questions agree, 2 with records of other TUs
