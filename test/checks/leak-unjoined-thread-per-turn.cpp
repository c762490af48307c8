// leak-unjoined-thread, form 6: one detached thread per turn of an unbounded
// loop (thread per connection). A thread whose body finishes on its own is a
// design choice: silent by default, reported with ReportDetachedThreadsPerTurn.
// A detached thread that can never finish is reported either way, once, with
// the loop that starts one per turn as a note.
// RUN: %check_leak --allow-extra-notes %s leak-unjoined-thread -- -std=c++17 -pthread
// RUN: %check_leak --allow-extra-notes --prefixes=,PERTURN --config="{CheckOptions: {leak-unjoined-thread.ReportDetachedThreadsPerTurn: true}}" %s leak-unjoined-thread -- -std=c++17 -pthread

#include <pthread.h>
#include <thread>
#include <unistd.h>

int accept_one();
bool accepting();
void drain_queue();
void handle_elsewhere(int fd); // defined in another file: we cannot tell

void serve_client(int fd) {
  char buf[64];
  while (read(fd, buf, sizeof buf) > 0) // ends when the peer closes
    ;
  close(fd);
}

//===--- A body that finishes: silent by default ---------------------------===//

void accept_lambda() {
  int c;
  while ((c = accept_one()) >= 0) // PERTURN-NOTE: this loop has no bound
    std::thread([c] { serve_client(c); }).detach(); // PERTURN-WARN: a detached thread is started on every turn of this loop; nothing bounds how many run at once
}

void accept_function() {
  for (;;) {
    int c = accept_one();
    std::thread t(serve_client, c); // PERTURN-WARN: a detached thread is started on every turn of this loop
    t.detach();                     // PERTURN-NOTE: detached here
  }
}

void *serve_raw(void *arg) {
  int fd = static_cast<int>(reinterpret_cast<long>(arg));
  close(fd);
  return nullptr;
}

void accept_pthread() {
  while (accepting()) {
    pthread_t t;
    pthread_create(&t, nullptr, serve_raw, reinterpret_cast<void *>(static_cast<long>(accept_one()))); // PERTURN-WARN: a detached thread is started on every turn of this loop
    pthread_detach(t);
  }
}

// A body we cannot see: unsure, so silent by default.
void accept_elsewhere() {
  int c;
  while ((c = accept_one()) >= 0)
    std::thread(handle_elsewhere, c).detach(); // PERTURN-WARN: a detached thread is started on every turn of this loop
}

//===--- A body that never finishes: reported by default -------------------===//

void worker_per_request() {
  while (accepting())                 // NOTE: and one more such thread is started on every turn of this loop, which has no bound
    std::thread([] {                  // WARN: detached thread runs a loop that nothing can stop; it never finishes
      for (;;)                        // NOTE: this loop has no exit
        drain_queue();
    }).detach();
}

void *drain_forever(void *) {
  while (true) // NOTE: this loop has no exit
    drain_queue();
  return nullptr;
}

void pthread_worker_per_request() {
  for (;;) { // NOTE: and one more such thread is started on every turn
    pthread_t t;
    pthread_create(&t, nullptr, drain_forever, nullptr); // WARN: detached thread runs a loop that nothing can stop
    pthread_detach(t);
  }
}

// Silent either way: a counted loop is bounded.
void fixed_pool() {
  for (int i = 0; i < 4; ++i)
    std::thread([] { drain_queue(); }).detach();
}
