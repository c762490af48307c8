// leak-unjoined-thread: the error paths of a half-started pair of threads.
// A std::thread constructor throws std::system_error when no thread can be
// started; code that catches it around the second start and returns leaves
// the first thread joinable, and its destructor calls std::terminate.
// Starts outside such a try are not treated as throwing (NonThrowingFunctions).
// RUN: %check_leak --allow-extra-notes %s leak-unjoined-thread -- -std=c++17

#include <cstdio>
#include <system_error>
#include <thread>

void work();

//===--- Reported -----------------------------------------------------------===//

int start_pair() {
  std::thread reader(work); // WARN: thread 'reader' is still joinable when it goes out of scope on this path; its destructor calls std::terminate
  std::thread writer;
  try {
    writer = std::thread(work); // NOTE: 'std::thread' may throw here
  } catch (const std::system_error &e) {
    std::fprintf(stderr, "cannot start the writer: %s\n", e.what());
    return -1; // NOTE: returns here
  }
  reader.join();
  writer.join();
  return 0;
}

bool start_three() {
  std::thread a(work); // WARN: thread 'a' is still joinable when it goes out of scope on this path
  try {
    std::thread b(work); // NOTE: 'std::thread' may throw here
    b.join();
  } catch (...) {
    return false;
  }
  a.join();
  return true;
}

//===--- Silent -------------------------------------------------------------===//

// The handler joins what was started before rethrowing or returning.
int start_pair_undo() {
  std::thread reader(work);
  std::thread writer;
  try {
    writer = std::thread(work);
  } catch (const std::system_error &) {
    reader.join();
    return -1;
  }
  reader.join();
  writer.join();
  return 0;
}

// No try around the second start: a failed start is not treated as a path.
int start_pair_plain() {
  std::thread reader(work);
  std::thread writer(work);
  reader.join();
  writer.join();
  return 0;
}

// A handler that catches something a failed start does not throw.
struct ConfigError {};
int start_pair_other() {
  std::thread reader(work);
  std::thread writer;
  try {
    writer = std::thread(work);
  } catch (const ConfigError &) {
    return -1;
  }
  reader.join();
  writer.join();
  return 0;
}
