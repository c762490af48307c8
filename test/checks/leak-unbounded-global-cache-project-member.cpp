// Project facts and member containers (docs/leak-unbounded-global-cache.md,
// "Across translation units"): Manager::Watched (Inputs/facts-member/mgr.h)
// grows here, in an object that lives for the process, and is trimmed by
// Manager::sweep() in Inputs/facts-member/sweep.cpp. That TU has no Manager
// living for the process, so it does not track Watched -- it still exports
// its trim (every TU exports a member it trims, tracked or not), and the
// store silences Watched. The plugin of 8a5f3d7 reported Watched with the
// store ("no other translation unit of the project uses 'Watched'"), the same
// false alarm as znc's CSockCommon::m_vcMonitorFD. The other direction (no TU
// trims a member: reported) is leak-unbounded-global-cache-project-member-
// report.cpp.
//
// RUN: rm -rf %t && mkdir -p %t/store
// RUN: %clang_tidy_plugin --checks='-*,leak-unbounded-global-cache' --quiet --config="{CheckOptions: {leak.ProjectFacts: '%t/store', leak.ExportFacts: true}}" %S/Inputs/facts-member/sweep.cpp %s -- -std=c++17 -I%S/Inputs/facts-member > %t/export.log 2>&1
// RUN: %python %leak_src/tools/leaktidy/facts.py merge %t/store | %FileCheck %s --check-prefix=MERGE
// RUN: %clang_tidy_plugin --checks='-*,leak-unbounded-global-cache' --quiet %s -- -std=c++17 -I%S/Inputs/facts-member 2>&1 | %FileCheck %s --allow-empty --implicit-check-not=warning:
// RUN: %clang_tidy_plugin --checks='-*,leak-unbounded-global-cache' --quiet --config="{CheckOptions: {leak.ProjectFacts: '%t/store'}}" %s -- -std=c++17 -I%S/Inputs/facts-member 2>&1 | %FileCheck %s --allow-empty --implicit-check-not=warning:
// The store holds this TU's fact about Watched (it grows here) and sweep.cpp's
// (it shrinks it).
// RUN: grep -c 'Watched' %t/store/facts.idx | %FileCheck %s --check-prefix=TWO
// RUN: grep 'Watched' %t/store/facts.idx | grep 'sweep.cpp' | grep -c '"shrinks":true' | %FileCheck %s --check-prefix=ONE
// MERGE: facts in
// ONE: 1
// TWO: 2
#include "mgr.h"

static Manager *TheManager = new Manager;

void onConnect(int Fd) { TheManager->watch(new Monitor{Fd}); }
void onTick() { TheManager->sweep(); }
