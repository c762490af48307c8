#include <atomic>
#include <thread>

class Worker {
public:
  void start(); // stops.cpp or nostop.cpp
  void stop();  // stops.cpp or nostop.cpp
  void loop();  // loop.cpp
  void flushLoop(); // loop.cpp
private:
  std::atomic<bool> running_{false};
  std::atomic<bool> quit_{false};
  std::thread t_, f_;
};
