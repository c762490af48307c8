// The destructor (in its own file) asks the worker to stop but never joins
// it; stop() does not join either.
#include "pool.h"

Pool::~Pool() { Running = false; }

void Pool::stop() { Running = false; }
