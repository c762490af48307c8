#pragma once
#include <thread>

inline void spawnAndForget(int n) {
  std::thread t([n] { (void)n; }); // the header's leak: never joined
}
