#include "jobs.h"

JobQueue g_jobs{64};

void submit(const std::string &J) { g_jobs.push(J); }

void Dispatcher::post(const std::string &J) { Q.push(J); }
