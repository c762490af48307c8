// A class whose thread member is started in one file and joined (or not) in
// another: the project-facts tests of leak-unjoined-thread.
#include <atomic>
#include <thread>

class Pool {
public:
  Pool();
  ~Pool();
  void stop();

private:
  void run();
  std::atomic<bool> Running{true};
  std::thread Worker;
};
