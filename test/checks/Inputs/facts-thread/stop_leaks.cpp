// Only stop() is here: it asks the worker to end, and does not join it.
#include "pool.h"

void Pool::stop() { Running = false; }
