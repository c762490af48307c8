// leak-unjoined-thread: erasing a joinable thread from a container
// (`threads.erase(id)`) destroys it, and a joinable std::thread's destructor
// calls std::terminate. Maps of threads (std::map<Id, std::thread>,
// unordered_map) are thread containers like vectors (forms 2 and 4).
// RUN: %check_leak --allow-extra-notes %s leak-unjoined-thread -- -std=c++17

#include <map>
#include <thread>
#include <unordered_map>
#include <vector>

void serve(int id);

//===--- Members: erased in a function that joins none of them ------------===//

class Sessions {
public:
  void open(int id) { workers_.emplace(id, std::thread(serve, id)); } // NOTE: threads are added here
  void close(int id) {
    workers_.erase(id); // WARN: the threads in 'workers_' are destroyed here without being joined; a joinable thread's destructor calls std::terminate
  }
  ~Sessions() {
    for (auto &[id, t] : workers_)
      t.join();
  }

private:
  std::map<int, std::thread> workers_;
};

class Connections {
public:
  void accept(int fd) { workers_[fd] = std::thread(serve, fd); }
  void drop(int fd) {
    auto it = workers_.find(fd);
    if (it != workers_.end())
      workers_.erase(it); // WARN: the threads in 'workers_' are destroyed here without being joined
  }
  ~Connections() {
    for (auto &kv : workers_)
      if (kv.second.joinable())
        kv.second.join();
  }

private:
  std::unordered_map<int, std::thread> workers_;
};

// A stop() that joins them (trusted to be called) does not make an erase
// elsewhere safe.
class Pool {
public:
  void spawn(int id) { workers_.emplace(id, std::thread(serve, id)); }
  void finished(int id) {
    workers_.erase(id); // WARN: the threads in 'workers_' are destroyed here without being joined
  }
  void stop() {
    for (auto &[id, t] : workers_)
      t.join();
    workers_.clear();
  }

private:
  std::map<int, std::thread> workers_;
};

// The destructor never joins them: the whole member is reported.
class Leaky {
public:
  void add(int id) { workers_.try_emplace(id, serve, id); }

private:
  std::map<int, std::thread> workers_; // WARN: threads in member 'workers_' are started in 'add' but the destructor of 'Leaky' never joins or detaches them
};

//===--- Silent: joined or detached before the erase ----------------------===//

class Joined {
public:
  void open(int id) { workers_.emplace(id, std::thread(serve, id)); }
  void close(int id) {
    auto it = workers_.find(id);
    if (it == workers_.end())
      return;
    it->second.join();
    workers_.erase(it);
  }
  void forget(int id) {
    workers_[id].detach();
    workers_.erase(id);
  }
  ~Joined() {
    for (auto &[id, t] : workers_)
      t.join();
  }

private:
  std::unordered_map<int, std::thread> workers_;
};

class Reaper {
public:
  void start() { pool_.emplace_back(serve, 0); }
  void reap() {
    for (auto it = pool_.begin(); it != pool_.end();) {
      it->join();
      it = pool_.erase(it);
    }
  }
  ~Reaper() {
    for (auto &t : pool_)
      t.join();
  }

private:
  std::vector<std::thread> pool_;
};

//===--- Locals: a map of threads nobody joins ----------------------------===//

void fan_out_keyed() {
  std::map<int, std::thread> running; // WARN: threads added to 'running' are never joined or detached; destroying 'running' calls std::terminate NOTE: (for (auto &[id, t] : running) t.join();)
  for (int id = 0; id < 4; ++id)
    running.emplace(id, std::thread(serve, id));
}

void fan_out_keyed_joined() {
  std::unordered_map<int, std::thread> running;
  for (int id = 0; id < 4; ++id)
    running.emplace(id, std::thread(serve, id));
  for (auto &[id, t] : running)
    t.join();
}
