//===--- WaitingCall.h - leak-tidy ----------------------------------------===//
//
// A loop whose wait is inside a helper: `for (;;) { work(); pause(); }` with
// `void pause() { sleep_for(1s); }`. Shared by the thread and timer checks
// (a periodic worker loop), on FunctionSummaries::waitsOnEveryCall.
//
//===----------------------------------------------------------------------===//
#ifndef LEAK_TIDY_LIB_PROGRAM_WAITINGCALL_H
#define LEAK_TIDY_LIB_PROGRAM_WAITINGCALL_H

namespace clang {
class ASTContext;
class CallExpr;
class Stmt;
namespace leaklib {
class NameMatcher;

/// A call at the top level of \p Loop's body of a function of the file that
/// waits or sleeps on every call (FunctionSummaries::waitsOnEveryCall), or
/// null.
const CallExpr *waitingHelperCall(const Stmt *Loop, const NameMatcher &Waits,
                                  ASTContext &Ctx);

} // namespace leaklib
} // namespace clang

#endif // LEAK_TIDY_LIB_PROGRAM_WAITINGCALL_H
