//===--- HandleUses.h - leak-tidy -----------------------------------------===//
//
// What one statement does to a timer handle, for the timer family's
// analyses (TimerUseIndex, the holder scan of PileUpFacts, HolderModel):
// releases it, hands it to a container, hands it to code we do not model,
// or only looks at it. Internal to lib/timer.
//
//===----------------------------------------------------------------------===//
#ifndef LEAK_TIDY_LIB_TIMER_HANDLEUSES_H
#define LEAK_TIDY_LIB_TIMER_HANDLEUSES_H

#include "lib/timer/TimerModel.h"
#include "llvm/ADT/STLFunctionalExtras.h"
#include "llvm/ADT/StringRef.h"

namespace clang {
class CallExpr;
class Expr;
class FunctionDecl;
class Stmt;
class ValueDecl;
namespace leaklib {

/// \p E without what does not change the value it designates: parens,
/// casts, temporaries, a converting construction (shared_ptr<T> from
/// make_shared's result).
const Expr *peelValue(const Expr *E);

/// Visits the code of \p Root itself: not lambdas, blocks (other functions)
/// or sizeof/alignof operands (unevaluated) below it. \p Fn never sees those
/// nodes. A lambda at the root is walked (its captures and body).
void forEachOwnStmt(const Stmt *Root,
                    llvm::function_ref<void(const Stmt *)> Fn);

/// The body the user wrote: a coroutine's own compound statement, without
/// the promise, suspend points and allocation the compiler adds around it.
/// Null when \p FD has no body.
const Stmt *userBody(const FunctionDecl *FD);

/// Visits the statements of \p FD's body (a coroutine's: userBody) and, each on
/// its own afterwards, of the lambdas in it (a lambda runs later: a separate
/// function). \p Fn gets the function whose body holds the statement (FD, or
/// the lambda's call operator), that body, and the statement; it never sees a
/// LambdaExpr.
void forEachBodyStmt(
    const FunctionDecl *FD,
    llvm::function_ref<void(const FunctionDecl *, const Stmt *, const Stmt *)>
        Fn);

/// `sev.sigev_value.sival_ptr = &timer` (the POSIX timer notification).
bool isSigevValue(const Expr *LHS);

/// push_back, emplace, insert, append, enqueue, ... on a container.
bool isContainerInsert(const CallExpr *CE);

/// Whether \p Arg names \p Key somewhere (not in sizeof, not in lambdas).
bool mentions(const Expr *Arg, const ValueDecl *Key);

/// `connect(t, &QTimer::timeout, t, &QObject::deleteLater)`.
bool connectsDeleteLater(const CallExpr *CE, const ValueDecl *Key);

/// Whether \p S deletes/destroys (or, with \p StopCounts, stops) \p Key:
/// `delete t`, a Destroy (Stop) call of the model, `close(fd)`,
/// `connect(..., deleteLater)`, or a call passing \p Key to a helper of
/// this TU that does one of these to its parameter on every call
/// (`stop_timer(t)`, FunctionSummaries::releasesParam; a few levels deep).
bool isReleaseOf(const Stmt *S, const ValueDecl *Key, const TimerModel &Model,
                 bool StopCounts);

/// The timer a called helper hands back: when \p Call's callee is user code
/// whose every return is a creation that \p IsCreation accepts
/// (FunctionSummaries::returnsFresh), directly or through a local, that
/// creation (the first return's). The caller then holds a fresh timer.
/// Null otherwise (a library function, a helper returning something else).
/// Helpers that call fresh-returning helpers are followed a few levels deep
/// when \p IsCreation asks returnedCreation again.
const Expr *returnedCreation(const CallExpr *Call,
                             llvm::function_ref<bool(const Expr *)> IsCreation);
/// The same for the function \p Callee itself.
const Expr *returnedCreation(const FunctionDecl *Callee,
                             llvm::function_ref<bool(const Expr *)> IsCreation);

/// Calls through which a handle does not escape: logging, fd I/O, Qt's
/// connect (the timer is the sender), the timer APIs' getters.
bool isHarmlessCallee(llvm::StringRef N);

/// Whether parameter \p I of \p CE's callee is a pointer/reference to const.
bool paramIsConst(const CallExpr *CE, unsigned I);

} // namespace leaklib
} // namespace clang

#endif // LEAK_TIDY_LIB_TIMER_HANDLEUSES_H
