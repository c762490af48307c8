// The StorageKinds option, and bad option values (configuration errors, the
// check keeps running with the defaults).
// RUN: %check_leak --config="{CheckOptions: {leak-retained-slice.StorageKinds: 'StaticLocals'}}" --prefixes=LOCAL %s leak-retained-slice -- -std=c++17
// RUN: %check_leak --config="{CheckOptions: {leak-retained-slice.StorageKinds: 'Globals;ThreadLocals;StaticObjectMembers'}}" --prefixes=NOLOCAL %s leak-retained-slice -- -std=c++17
// RUN: %check_leak --config="{CheckOptions: {leak-retained-slice.StorageKinds: 'Globals;StaticLocals;ThreadLocals;StaticObjectMembers'}}" --prefixes=NOMEMBER %s leak-retained-slice -- -std=c++17
// RUN: %check_leak --config="{CheckOptions: {leak-retained-slice.StorageKinds: 'DataMembers'}}" --prefixes=MEMBER %s leak-retained-slice -- -std=c++17
// RUN: %clang_tidy_plugin --checks='-*,leak-retained-slice' --config="{CheckOptions: {leak-retained-slice.StorageKinds: 'Globals;Heap', leak-retained-slice.LargeBufferBytes: 'lots'}}" %s -- -std=c++17 2>&1 | %FileCheck --check-prefix=BAD %s
// BAD-DAG: invalid value in option 'leak-retained-slice.StorageKinds': 'Heap' is not a storage kind
// BAD-DAG: invalid value 'lots' for option 'leak-retained-slice.LargeBufferBytes'

#include <memory>
#include <string>
#include <vector>

using BufferPtr = std::shared_ptr<std::vector<char>>;

std::shared_ptr<const char> g_head;
void statics(BufferPtr b) { // LOCAL-NOTE: the retained buffer comes from parameter 'b' NOLOCAL-NOTE: the retained buffer comes from parameter 'b' NOMEMBER-NOTE: the retained buffer comes from parameter 'b' NOMEMBER-NOTE: the retained buffer comes from parameter 'b'
  static std::shared_ptr<const char> s;
  s = std::shared_ptr<const char>(b, b->data()); // LOCAL-WARN: slice stored in 's' LOCAL-NOTE: copy the part NOMEMBER-WARN: slice stored in 's' NOMEMBER-NOTE: copy the part
  g_head = std::shared_ptr<const char>(b, b->data()); // NOLOCAL-WARN: slice stored in 'g_head' NOLOCAL-NOTE: copy the part NOMEMBER-WARN: slice stored in 'g_head' NOMEMBER-NOTE: copy the part
}

class Parser {
public:
  void feed(const char *p, unsigned long n) { Pending.append(p, n); } // MEMBER-NOTE: 'Pending' takes a large buffer here
  void keepHeader() { Pending.resize(16); } // MEMBER-WARN: 'Pending' is cut down here MEMBER-NOTE: give the capacity back

private:
  std::string Pending;
};
