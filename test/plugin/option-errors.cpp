// Options that cannot switch a check off by accident (issue 19). A list option
// with no valid entry keeps its defaults and says so, naming the option; an
// invalid entry names the option that was set; an unknown leak-* option name
// gets one warning naming the nearest known option.
//
// ';;;' and all-invalid entries: the defaults stay, the leaks are still found.
// (A blank value is an empty list on purpose: test/checks/leak-unjoined-thread.cpp.)
// RUN: %clang_tidy_plugin --checks='-*,leak-unjoined-thread' --config="{CheckOptions: {leak-unjoined-thread.ThreadTypes: ';;;'}}" %s -- -std=c++17 2>&1 | %FileCheck --check-prefixes=EMPTY,THREAD %s
// EMPTY: warning: option 'leak-unjoined-thread.ThreadTypes' has no valid entry (';;;'); using its default ('std::thread;
// RUN: %clang_tidy_plugin --checks='-*,leak-unjoined-thread' --config="{CheckOptions: {leak-unjoined-thread.ThreadTypes: '1thread;a b'}}" %s -- -std=c++17 2>&1 | %FileCheck --check-prefixes=INVALID,THREAD %s
// INVALID: warning: invalid value in option 'leak-unjoined-thread.ThreadTypes': '1thread'
// INVALID: warning: invalid value in option 'leak-unjoined-thread.ThreadTypes': 'a b'
// INVALID: warning: option 'leak-unjoined-thread.ThreadTypes' has no valid entry ('1thread;a b'); using its default
// THREAD: option-errors.cpp:[[@LINE+35]]:15: warning: thread 't' is still joinable when it goes out of scope {{.*}}[leak-unjoined-thread]
//
// StorageKinds: identifiers that are not storage kinds.
// RUN: %clang_tidy_plugin --checks='-*,leak-retained-slice' --config="{CheckOptions: {leak-retained-slice.StorageKinds: 'Heap;Stack'}}" %s -- -std=c++17 2>&1 | %FileCheck --check-prefix=KINDS %s
// KINDS: warning: invalid value in option 'leak-retained-slice.StorageKinds': 'Heap' is not a storage kind
// KINDS: warning: invalid value in option 'leak-retained-slice.StorageKinds': 'Stack' is not a storage kind
// KINDS: warning: option 'leak-retained-slice.StorageKinds' has no valid entry ('Heap;Stack'); using its default ('Globals;
// KINDS: option-errors.cpp:[[@LINE+36]]:3: warning: slice stored in 'g_head' keeps the whole buffer alive {{.*}}[leak-retained-slice]
//
// CapacitySemantics: the message names that option only; ChannelTypes set
// without CapacitySemantics gives no warning about the default entries.
// RUN: %clang_tidy_plugin --checks='-*,leak-channel-without-reader' --config="{CheckOptions: {leak-channel-without-reader.CapacitySemantics: '+boost::fibers::buffered_channel=huge'}}" %s -- -std=c++17 2>&1 | %FileCheck --check-prefix=CAP --implicit-check-not=FutureWaitFunctions %s
// CAP: warning: invalid value in option 'leak-channel-without-reader.CapacitySemantics': 'boost::fibers::buffered_channel=huge' is not 'Type=kind'
// RUN: %clang_tidy_plugin --checks='-*,leak-channel-without-reader' --config="{CheckOptions: {leak-channel-without-reader.CapacitySemantics: 'my::Chan=arg'}}" %s -- -std=c++17 2>&1 | %FileCheck --check-prefix=CAPTYPE --implicit-check-not=FutureWaitFunctions %s
// CAPTYPE: warning: invalid value in option 'leak-channel-without-reader.CapacitySemantics': 'my::Chan' is not one of the ChannelTypes
// CAPTYPE: warning: option 'leak-channel-without-reader.CapacitySemantics' has no valid entry ('my::Chan=arg'); using its default
// RUN: %clang_tidy_plugin --checks='-*,leak-channel-without-reader' --config="{CheckOptions: {leak-channel-without-reader.ChannelTypes: 'my::Chan'}}" %s -- -std=c++17 2>&1 | %FileCheck --allow-empty --check-prefix=TYPES %s
// TYPES-NOT: warning:
//
// Unknown leak-* names: one warning each (not one per enabled check), naming
// the nearest known option; a misspelled check name too.
// RUN: %clang_tidy_plugin --checks='-*,leak-*' --config="{CheckOptions: {leak-unjoined-thread.ThreadType: 'my::T', leak-unjoined-threads.JoinMethods: 'join', leak-timer-in-loop.MinDelayMs: '5'}}" %s -- -std=c++17 2>&1 | %FileCheck --check-prefix=UNKNOWN --implicit-check-not='unknown option' %s
// UNKNOWN: warning: unknown option 'leak-unjoined-thread.ThreadType'; did you mean 'leak-unjoined-thread.ThreadTypes'?
// UNKNOWN: warning: unknown option 'leak-unjoined-threads.JoinMethods'; did you mean 'leak-unjoined-thread.JoinMethods'?
// The warning comes from the first enabled leak check, whichever it is.
// RUN: %clang_tidy_plugin --checks='-*,leak-unstopped-ticker' --config="{CheckOptions: {leak-unjoined-thread.ThreadType: 'my::T'}}" %s -- -std=c++17 2>&1 | %FileCheck --check-prefix=ONE --implicit-check-not='unknown option' %s
// ONE: warning: unknown option 'leak-unjoined-thread.ThreadType'; did you mean 'leak-unjoined-thread.ThreadTypes'?

#include <memory>
#include <thread>
#include <vector>

void work();

void leak_thread(bool early) {
  std::thread t(work);
  if (early)
    return;
  t.join();
}

std::shared_ptr<const char> g_head;
void keep(std::shared_ptr<std::vector<char>> b) {
  g_head = std::shared_ptr<const char>(b, b->data());
}
