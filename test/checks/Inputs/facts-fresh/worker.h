// Thread helpers defined in another file than their callers: the
// project-facts tests of leak-unjoined-thread's function summaries.
#include <thread>

std::thread makeWorker();
void joinWorker(std::thread &T);
