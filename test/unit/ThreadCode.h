//===--- ThreadCode.h - leak-tidy unit tests ------------------------------===//
//
// A stand-in for std::thread with the same shape, for the unit tests of
// lib/thread (they parse without a standard library).
//
//===----------------------------------------------------------------------===//
#ifndef LEAK_TIDY_TEST_UNIT_THREADCODE_H
#define LEAK_TIDY_TEST_UNIT_THREADCODE_H

namespace leaktest {

inline const char *const ThreadStandIn = R"cpp(
namespace std {
struct thread {
  thread() noexcept;
  template <class F, class... A> explicit thread(F &&f, A &&...a) {}
  thread(thread &&) noexcept;
  thread &operator=(thread &&) noexcept;
  ~thread();
  void join();
  void detach();
  bool joinable() const noexcept;
};
}
)cpp";

} // namespace leaktest

#endif // LEAK_TIDY_TEST_UNIT_THREADCODE_H
