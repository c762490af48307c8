// leak-tidy-flags: -std=c++17 -pthread
//
// A tiny job server with the thread mistakes leak-unjoined-thread finds:
// a worker left joinable on an early return (std::terminate), a detached
// "flusher" that can never stop, one detached thread per client with no
// bound, and a class whose destructor forgets its thread.
#include <atomic>
#include <cstdio>
#include <queue>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

static int accept_client() { return std::getchar(); } // stands for accept()
static void serve(int client) { std::printf("serving %d\n", client); }
static bool load_config(const std::string &path) { return !path.empty(); }
static void flush_logs() { std::fflush(stdout); }

// Early return with a joinable std::thread: std::terminate.
bool warm_up(const std::string &config) {
  std::thread prefetch([] { std::puts("prefetching"); });
  if (!load_config(config))
    return false; // 'prefetch' is destroyed while joinable
  prefetch.join();
  return true;
}

// A detached thread whose loop nothing can stop: the goroutine leak.
void start_flusher() {
  std::thread flusher([] {
    for (;;)
      flush_logs();
  });
  flusher.detach();
}

// One detached thread per client: nothing bounds how many run at once.
void accept_loop() {
  int client;
  while ((client = accept_client()) >= 0)
    std::thread(serve, client).detach();
}

// The destructor never joins: destroying a Metrics while it runs terminates.
class Metrics {
public:
  Metrics() : reporter_([this] { report(); }) {}

private:
  void report() {
    while (!stop_)
      std::puts("metrics");
  }
  std::atomic<bool> stop_{false};
  std::thread reporter_;
};

// Threads collected in a vector and never joined.
void fan_out(int n) {
  std::vector<std::thread> workers;
  for (int i = 0; i < n; ++i)
    workers.emplace_back(serve, i);
}

int main(int argc, char **argv) {
  if (!warm_up(argc > 1 ? argv[1] : ""))
    return 1;
  start_flusher();
  Metrics metrics;
  fan_out(4);
  accept_loop();
  return 0;
}
