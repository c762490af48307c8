// A function-local static of an inline function in a project header is one
// object per program, not an "external" container: its uses are all in the
// function's body, which this file sees. The warning is in the header (the
// declaration and the growth are there): checked with FileCheck and a header
// filter.
// RUN: %clang_tidy_plugin --checks='-*,leak-unbounded-global-cache' --header-filter='unbounded-cache-inline' --quiet %s -- -std=c++17 -I%S/Inputs 2>&1 | %FileCheck %s
// CHECK: unbounded-cache-inline.h:10:32: warning: static local std::set 'Hosts' only grows
// CHECK: unbounded-cache-inline.h:11:9: note: grows here: 'insert' adds a key from parameter 'Host' of 'rememberHost', which other translation units may call
// CHECK-NOT: 'Table'
// CHECK-NOT: warning:
#include "unbounded-cache-inline.h"
#include <iostream>
#include <string>

int main() {
  std::string Line;
  while (std::getline(std::cin, Line)) {
    rememberHost(Line);
    sharedTable()[Line] = 1;
  }
}
