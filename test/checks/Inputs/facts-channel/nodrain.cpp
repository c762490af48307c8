#include "jobs.h"

void shutdownJobs() {
  g_jobs.push("stop");
}

void Dispatcher::run() {
  Q.push("heartbeat");
}
