// Project facts and member containers, both directions (docs/leak-unbounded-
// global-cache.md, "Across translation units"): Registry::Items grows here, in
// an object that lives for the process. The other TU defines Registry's other
// methods and has no Registry living for the process, so it does not track
// Items -- but every TU exports a member it trims, tracked or not, so the
// store's silence means "no TU trims it":
// - walk.cpp only reads Items: reported, with a note at the member (the plugin
//   before this rule only silenced members with a store: silent);
// - prune.cpp erases from Items: silent (its fact is in the store);
// - no store: silent, as before (another TU may trim it).
//
// RUN: rm -rf %t && mkdir -p %t/walk %t/prune
// RUN: %clang_tidy_plugin --checks='-*,leak-unbounded-global-cache' --quiet --config="{CheckOptions: {leak.ProjectFacts: '%t/walk', leak.ExportFacts: true}}" %S/Inputs/facts-member/walk.cpp %s -- -std=c++17 -I%S/Inputs/facts-member > %t/walk.log 2>&1
// RUN: %python %leak_src/tools/leaktidy/facts.py merge %t/walk
// RUN: %clang_tidy_plugin --checks='-*,leak-unbounded-global-cache' --quiet --config="{CheckOptions: {leak.ProjectFacts: '%t/prune', leak.ExportFacts: true}}" %S/Inputs/facts-member/prune.cpp %s -- -std=c++17 -I%S/Inputs/facts-member > %t/prune.log 2>&1
// RUN: %python %leak_src/tools/leaktidy/facts.py merge %t/prune
// RUN: %clang_tidy_plugin --checks='-*,leak-unbounded-global-cache' --quiet --config="{CheckOptions: {leak.ProjectFacts: '%t/walk'}}" %s -- -std=c++17 -I%S/Inputs/facts-member 2>&1 | %FileCheck %s --check-prefix=REPORTED --implicit-check-not=warning:
// RUN: %clang_tidy_plugin --checks='-*,leak-unbounded-global-cache' --quiet --config="{CheckOptions: {leak.ProjectFacts: '%t/prune'}}" %s -- -std=c++17 -I%S/Inputs/facts-member 2>&1 | %FileCheck %s --allow-empty --implicit-check-not=warning:
// RUN: %clang_tidy_plugin --checks='-*,leak-unbounded-global-cache' --quiet %s -- -std=c++17 -I%S/Inputs/facts-member 2>&1 | %FileCheck %s --allow-empty --implicit-check-not=warning:
// prune.cpp's fact about Items (it shrinks it), though it does not track Items:
// RUN: grep 'Items' %t/prune/facts.idx | grep -c '"shrinks":true' | %FileCheck %s --check-prefix=ONE
// RUN: grep -c 'Items' %t/walk/facts.idx | %FileCheck %s --check-prefix=ONE
// ONE: 1
#include "registry.h"

static Registry *TheRegistry = new Registry;

void onAccept(int Fd) {
  TheRegistry->Items.push_back(new Entry{Fd});
  // REPORTED: :[[@LINE-1]]:22: warning: member std::vector 'Registry::Items' only grows
}
// REPORTED: registry.h:13:24: note: no translation unit of the project removes entries of 'Items' or caps it (project facts)
