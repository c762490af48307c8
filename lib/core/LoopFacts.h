//===--- LoopFacts.h - leak-tidy -----------------------------------------===//
//
// Facts about one loop, answered syntactically (no CFG): its constant trip
// count if it has one, whether it is written as endless, whether anything in
// it can leave it, whether its condition or exits read state that another
// thread could change, and whether it waits/sleeps on every turn.
//
//===----------------------------------------------------------------------===//
#ifndef LEAK_TIDY_LIB_CORE_LOOPFACTS_H
#define LEAK_TIDY_LIB_CORE_LOOPFACTS_H

#include "lib/core/NameMatcher.h"
#include <cstdint>
#include <optional>

namespace clang {
class ASTContext;
class Expr;
class FunctionDecl;
class Stmt;
namespace leaklib {

/// Whether \p S is a for/while/do/range-for loop.
bool isLoop(const Stmt *S);

/// The body of a loop statement, or null.
const Stmt *loopBody(const Stmt *Loop);

/// The condition of a for/while/do loop, or null (range-for, `for (;;)`).
const Expr *loopCondition(const Stmt *Loop);

/// The trip count when it is a compile-time constant: `for (int i = A; i < B;
/// ++i)` (also <=, !=, >, >=, i += K), a range-for over a constant-size array
/// or braced list, a condition that is constant false (`do { } while (0)`: 1,
/// `while (0)`: 0). Otherwise std::nullopt (unknown or unbounded).
std::optional<uint64_t> constantTripCount(const Stmt *Loop, ASTContext &Ctx);

/// Whether the loop is written to run forever: while(true), for(;;),
/// do {} while(1) -- its condition is absent or a constant true.
bool isEndlessByCondition(const Stmt *Loop, ASTContext &Ctx);

/// Ways out of a loop other than its condition.
struct LoopExits {
  bool Break = false;        ///< a break that leaves this loop
  bool Return = false;       ///< return / co_return
  bool Throw = false;        ///< throw
  bool Goto = false;         ///< goto (assumed to leave)
  bool NoReturnCall = false; ///< exit, abort, pthread_exit, [[noreturn]] ...
  bool any() const { return Break || Return || Throw || Goto || NoReturnCall; }
};

/// Exits of \p Loop found in its body (nested lambdas are not looked into;
/// a break inside a nested loop or switch does not leave this loop).
LoopExits findLoopExits(const Stmt *Loop);

/// Whether \p E reads something another thread or function could change:
/// an atomic, a volatile, a member or global or static, a reference or
/// pointer parameter's target, a stop_token, or any call whose result we
/// cannot see. A plain local of the function or a constant: no.
bool readsSharedState(const Expr *E);

/// Whether \p Loop (condition or body) calls one of \p WaitFunctions on every
/// turn, syntactically: a call that is not nested in an if/switch/inner loop
/// of the body. \p WaitFunctions are qualified names (see
/// defaultWaitFunctions); methods match by Class::method.
bool waitsEachTurn(const Stmt *Loop, const NameMatcher &WaitFunctions);

/// The default "waits or sleeps" functions: std::this_thread::sleep_for,
/// sleep_until, usleep, sleep, nanosleep, clock_nanosleep,
/// std::condition_variable::wait_for / wait_until, ...
std::vector<std::string> defaultWaitFunctions();

} // namespace leaklib
} // namespace clang

#endif // LEAK_TIDY_LIB_CORE_LOOPFACTS_H
