// Only stop() is here: it joins the worker.
#include "pool.h"

void Pool::stop() {
  Running = false;
  if (Worker.joinable())
    Worker.join();
}
