// The destructor (in its own file) joins the worker through stop().
#include "pool.h"

Pool::~Pool() { stop(); }

void Pool::stop() {
  Running = false;
  if (Worker.joinable())
    Worker.join();
}
