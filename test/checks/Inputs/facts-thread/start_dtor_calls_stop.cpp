// Constructor and destructor here; the destructor relies on stop(), which
// another file defines.
#include "pool.h"

Pool::Pool() : Worker([this] { run(); }) {}

Pool::~Pool() { stop(); }

void Pool::run() {
  while (Running)
    std::this_thread::yield();
}
