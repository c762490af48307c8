// Constructor and destructor here; the destructor does not join, the join is
// in stop() (in another file), a start()/stop() protocol.
#include "pool.h"

Pool::Pool() : Worker([this] { run(); }) {}

Pool::~Pool() { Running = false; }

void Pool::run() {
  while (Running)
    std::this_thread::yield();
}
