//===--- ThreadBody.h - leak-tidy -----------------------------------------===//
//
// What a thread runs: the body of its callable when the translation unit
// shows it, whether that body has a loop nothing can stop (a detached thread
// that never finishes), whether it surely finishes on its own (so that
// std::jthread's join at scope end is a short wait), whether std::jthread
// would call it as std::thread does; and whether the loop that spawns
// threads has a bound.
//
//===----------------------------------------------------------------------===//
#ifndef LEAK_TIDY_LIB_THREAD_THREADBODY_H
#define LEAK_TIDY_LIB_THREAD_THREADBODY_H

namespace clang {
class ASTContext;
class CXXConstructExpr;
class Expr;
class Stmt;
namespace leaklib {
class NameMatcher;

/// The body of the callable a thread runs, when visible in the TU: a lambda's
/// body, a function's body (`f`, `&f`), or a member function's body
/// (`&C::run`). Null otherwise.
const Stmt *callableBody(const Expr *Callable);

/// In a thread's body, a loop that can never end: written endless (or whose
/// condition reads only locals the loop never changes), with no break,
/// return, throw, goto or noreturn call leaving it, and that does not wait
/// or sleep on every turn (a periodic loop, leak-unstopped-ticker's job).
/// Nested lambdas are not looked into. Null if there is none.
const Stmt *findEndlessLoop(const Stmt *Body, ASTContext &Ctx,
                            const NameMatcher &WaitFunctions);

/// Whether \p Loop has no bound: not a counted for loop, not a range-for,
/// no constant trip count (a `while (accept(...))` or `for (;;)` loop).
bool isUnboundedLoop(const Stmt *Loop, ASTContext &Ctx);

/// Whether std::jthread would call the callable of \p Ctor exactly as
/// std::thread does: a non-generic lambda or a plain function taking exactly
/// the arguments given (so a std::stop_token cannot be passed in first).
bool callableIgnoresStopToken(const CXXConstructExpr *Ctor);

/// Whether the thread's body is visible and surely finishes on its own: no
/// loop without a bound and no call that waits for someone else. Only then
/// does joining at scope end (std::jthread) trade a crash for a short wait
/// rather than for a hang.
bool bodyFinishesOnItsOwn(const CXXConstructExpr *Ctor, ASTContext &Ctx);

} // namespace leaklib
} // namespace clang

#endif // LEAK_TIDY_LIB_THREAD_THREADBODY_H
