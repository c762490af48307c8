// RUN: %check_leak %s leak-retained-slice -- -std=c++17

// A program whose main() plainly ends soon (a fixed number of iterations,
// no event loop, nothing it calls loops without bound): everything it keeps
// is freed at exit a moment later, so no store is a leak -- not in a global
// either. The program model (ProgramFacts::endsSoon) decides.
//
// FIXME: endsSoon follows the bodies of library templates (a std::shared_ptr
// constructor, std::vector::resize) and answers "unbounded" past a few
// levels; a main() that uses them does not count as ending soon yet. This
// file uses only functions without bodies (malloc).
#include <cstdlib>

static char *g_name;

int main() {
  for (int i = 0; i < 3; ++i) {
    char *block = static_cast<char *>(std::malloc(1 << 20));
    g_name = block + 16;
  }
  return 0;
}
