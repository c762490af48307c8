// Members of classes declared in a header and implemented here. The warning
// moves to the first growing call in this file (the default header filter
// would hide the declaration); the "declared here" note is in the header,
// where the runner cannot expect it, so notes are checked with FileCheck.
// RUN: %check_leak --allow-extra-notes %s leak-unbounded-global-cache -- -std=c++17 -I%S/Inputs
// RUN: %check_leak --allow-extra-notes --config="{CheckOptions: {leak-unbounded-global-cache.AssumeExternalContainersUnbounded: true}}" --prefixes=,EXT %s leak-unbounded-global-cache -- -std=c++17 -I%S/Inputs
// RUN: %clang_tidy_plugin --checks='-*,leak-unbounded-global-cache' --quiet %s -- -std=c++17 -I%S/Inputs 2>&1 | %FileCheck %s
// CHECK: leak-unbounded-global-cache-header.cpp:[[@LINE+15]]:{{[0-9]+}}: warning: member std::map 'HandlerRegistry::Handlers' only grows
// CHECK: unbounded-cache-registry.h:14:30: note: 'HandlerRegistry::Handlers' declared here
// CHECK-NOT: PeerTable

#include "unbounded-cache-registry.h"
#include <map>
#include <string>

// Classes from a header: judged here only when this file holds all their
// member functions.
HandlerRegistry &HandlerRegistry::instance() {
  static HandlerRegistry R;
  return R;
}
// WARN@+1: member std::map 'HandlerRegistry::Handlers' only grows
void HandlerRegistry::add(const std::string &Name, int Handler) { Handlers[Name] = Handler; } // NOTE: from parameter 'Name'
PeerTable &PeerTable::instance() {
  static PeerTable T;
  return T;
}
// EXT-WARN@+1: member std::map 'PeerTable::Peers' only grows
void PeerTable::add(const std::string &Peer) { Peers[Peer] = 1; } // EXT-NOTE: from parameter 'Peer'

