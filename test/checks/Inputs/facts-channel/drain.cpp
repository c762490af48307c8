#include "jobs.h"

void handle(const std::string &J);

void drainJobs() {
  std::string J;
  while (g_jobs.pop(J) == boost::fibers::channel_op_status::success)
    handle(J);
}

void Dispatcher::run() {
  for (const std::string &J : Q)
    handle(J);
}
