// REQUIRES: boost-thread
// boost::thread: by default (BOOST_THREAD_VERSION 2) destroying a joinable
// thread detaches it -- a thread nobody joins; with version 3 and later it
// calls std::terminate, exactly like std::thread. Read from the real header.
// RUN: %check_leak --allow-extra-notes --prefixes=,V2 %s leak-unjoined-thread -- -std=c++17
// RUN: %check_leak --allow-extra-notes --prefixes=,V4 %s leak-unjoined-thread -- -std=c++17 -DBOOST_THREAD_VERSION=4
// A user thread type added by name joins the model.
// RUN: %check_leak --allow-extra-notes --prefixes=,V2,OPT --config="{CheckOptions: {leak-unjoined-thread.ThreadTypes: '+app::Worker', leak-unjoined-thread.JoinMethods: '+wait', leak-unjoined-thread.DetachMethods: '+release'}}" %s leak-unjoined-thread -- -std=c++17 -DAPP_WORKER

#include <boost/thread.hpp>
#include <vector>

void work();
bool ready() noexcept;
void may_throw();

void early_return() {
  boost::thread t(work); // V2-WARN: thread 't' is still joinable when it goes out of scope on this path; its destructor detaches it, so it is never joined V4-WARN: thread 't' is still joinable when it goes out of scope on this path; its destructor calls std::terminate
  if (!ready())
    return; // NOTE: returns here
  t.join();
}

void exception_path() {
  // Only a terminating destructor makes a may-throw call worth a path.
  boost::thread t(work); // V4-WARN: thread 't' is still joinable if an exception leaves its scope
  may_throw();
  t.join();
}

// The caller catches: the may-throw path above counts.
void catches_exception_path() {
  try {
    exception_path();
  } catch (...) {
  }
}

void timed_join_counts() {
  boost::thread t(work);
  if (!ready())
    t.interrupt(); // hands the thread to boost's interruption: treated as not ours
  t.try_join_for(boost::chrono::seconds(1));
}

void joined() {
  boost::thread t(work);
  t.join();
}

void detached_endless() {
  boost::thread t([] { // V2-WARN: detached thread runs a loop that nothing can stop V4-WARN: detached thread runs a loop that nothing can stop
    while (true)
      work();
  });
  t.detach();
}

void group() {
  boost::thread_group g; // joins through join_all: not a thread type
  g.create_thread(work);
  g.join_all();
}

void container_never_joined() {
  std::vector<boost::thread> ts; // V2-WARN: threads added to 'ts' are never joined; destroying 'ts' detaches them V4-WARN: threads added to 'ts' are never joined or detached; destroying 'ts' calls std::terminate
  ts.emplace_back(work);
}

#ifdef APP_WORKER
namespace app {
// A user type configured by name (not a real library: see ThreadTypes).
class Worker {
public:
  template <typename F> explicit Worker(F f) { f(); }
  ~Worker(); // not visible: assumed to terminate, like std::thread
  void wait();
  void release();
};
} // namespace app
void app_worker() {
  app::Worker w(work); // OPT-WARN: thread 'w' is still joinable when it goes out of scope on this path
  if (!ready())
    return;
  w.wait();
}
void app_worker_released_endless() {
  app::Worker w([] { // OPT-WARN: detached thread runs a loop that nothing can stop
    for (;;)
      work();
  });
  w.release();
}
void app_worker_waited() {
  app::Worker w(work);
  w.wait();
}
#endif
