// The constructor starts the worker; the destructor is in another file.
#include "pool.h"

Pool::Pool() : Worker([this] { run(); }) {}

void Pool::run() {
  while (Running)
    std::this_thread::yield();
}
