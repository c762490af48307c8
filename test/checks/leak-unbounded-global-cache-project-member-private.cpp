// Project facts and a private member grown by an inline method, trimmed in
// the TU that defines the class's other methods (znc's CSockCommon::
// m_vcMonitorFD, erased in Csocket.cpp): that TU sees every use of the
// member and judges it alone, and still exports its trim, so with the store
// Pool::Live is silent when reap.cpp trims it and reported when noreap.cpp
// does not (the report is in pool.h: --header-filter). The plugin before
// session 6 was silent in both (the store could only silence members); a
// plugin exporting only members that other TUs can use would report both.
//
// RUN: rm -rf %t && mkdir -p %t/reap %t/noreap
// RUN: %clang_tidy_plugin --checks='-*,leak-unbounded-global-cache' --quiet --config="{CheckOptions: {leak.ProjectFacts: '%t/reap', leak.ExportFacts: true}}" %S/Inputs/facts-member/reap.cpp %s -- -std=c++17 -I%S/Inputs/facts-member > %t/reap.log 2>&1
// RUN: %python %leak_src/tools/leaktidy/facts.py merge %t/reap
// RUN: %clang_tidy_plugin --checks='-*,leak-unbounded-global-cache' --quiet --config="{CheckOptions: {leak.ProjectFacts: '%t/noreap', leak.ExportFacts: true}}" %S/Inputs/facts-member/noreap.cpp %s -- -std=c++17 -I%S/Inputs/facts-member > %t/noreap.log 2>&1
// RUN: %python %leak_src/tools/leaktidy/facts.py merge %t/noreap
// RUN: %clang_tidy_plugin --checks='-*,leak-unbounded-global-cache' --quiet --header-filter='.*' --config="{CheckOptions: {leak.ProjectFacts: '%t/reap'}}" %s -- -std=c++17 -I%S/Inputs/facts-member 2>&1 | %FileCheck %s --allow-empty --implicit-check-not=warning:
// RUN: %clang_tidy_plugin --checks='-*,leak-unbounded-global-cache' --quiet --header-filter='.*' --config="{CheckOptions: {leak.ProjectFacts: '%t/noreap'}}" %s -- -std=c++17 -I%S/Inputs/facts-member 2>&1 | %FileCheck %s --check-prefix=REPORTED --implicit-check-not=warning:
// RUN: %clang_tidy_plugin --checks='-*,leak-unbounded-global-cache' --quiet --header-filter='.*' %s -- -std=c++17 -I%S/Inputs/facts-member 2>&1 | %FileCheck %s --allow-empty --implicit-check-not=warning:
// REPORTED: pool.h:17:23: warning: member std::vector 'Pool::Live' only grows
// REPORTED: pool.h:17:23: note: no translation unit of the project removes entries of 'Live' or caps it (project facts)
#include "pool.h"

static Pool *ThePool = new Pool;

void onAccept(int Fd) { ThePool->add(new Conn{Fd}); }
