//===--- ProgramFacts.h - leak-tidy ---------------------------------------===//
//
// Facts about the whole program that no single function shows, answered from
// the translation unit's call graph (user code only, built once per
// ASTContext):
//  - what becomes of an exception that leaves a function: can anyone catch
//    it (a caller that calls it inside a try with a handler, transitively;
//    a test body of GoogleTest, Catch2 or doctest), or does it end in
//    std::terminate (main(), noexcept, every caller known and none catches)?
//  - does a function never return (noreturn, an endless loop nothing leaves,
//    a GLib main loop nothing quits, or a call to such a function on every
//    path)?
//  - does a variable live as long as the process: static storage, or a local
//    of a main() that does not plainly end soon, or of a function that never
//    returns?
//  - does main() plainly end soon (a fixed number of iterations, no event
//    loop, nothing it calls loops without bound)?
// Every answer is conservative where the TU cannot see: Unknown, or false.
//
//===----------------------------------------------------------------------===//
#ifndef LEAK_TIDY_LIB_PROGRAM_PROGRAMFACTS_H
#define LEAK_TIDY_LIB_PROGRAM_PROGRAMFACTS_H

#include "llvm/ADT/ArrayRef.h"
#include "llvm/ADT/DenseMap.h"
#include "llvm/ADT/DenseSet.h"
#include "llvm/ADT/SmallVector.h"
#include <optional>

namespace clang {
class ASTContext;
class Expr;
class FunctionDecl;
class Stmt;
class VarDecl;
namespace leaklib {

/// What becomes of an exception that leaves a function.
enum class ExceptionFate {
  Terminates, ///< nothing can catch it: std::terminate ends the process
  Caught,     ///< a caller in this TU catches it, or a test framework does
  Unknown,    ///< callers this TU cannot see, and no catch in sight
};

class ProgramFacts {
public:
  /// The facts of \p Ctx's translation unit, built on first use.
  static ProgramFacts &get(ASTContext &Ctx);

  ExceptionFate exceptionFate(const FunctionDecl *FD);
  bool neverReturns(const FunctionDecl *FD);
  bool livesForProcess(const VarDecl *V);
  /// Whether \p FD is main() and plainly ends soon: every loop in it has a
  /// constant trip count, it runs no event loop, and every function it calls
  /// is a library function or (in this TU, a few levels deep) does the same.
  bool endsSoon(const FunctionDecl *FD);

  /// One call of a function: who calls it, and whether inside a try block.
  struct CallSite {
    const FunctionDecl *Caller = nullptr;
    const Expr *Call = nullptr; ///< the CallExpr or CXXConstructExpr
    bool InTry = false;
  };
  /// The calls of \p FD in this TU's user code.
  llvm::ArrayRef<CallSite> callSites(const FunctionDecl *FD) const;
  /// Whether other TUs or function pointers may call \p FD.
  bool hasUnseenCallers(const FunctionDecl *FD) const;

  explicit ProgramFacts(ASTContext &Ctx);

private:
  friend class CallGraphCollector;
  ExceptionFate fate(const FunctionDecl *FD, unsigned Depth);
  bool neverReturns(const FunctionDecl *FD, unsigned Depth);
  bool loopsWithoutBound(const FunctionDecl *FD, unsigned Depth);
  bool callsNeverReturning(const Stmt *S, unsigned Depth);

  ASTContext &Ctx;
  llvm::DenseMap<const FunctionDecl *, llvm::SmallVector<CallSite, 2>> Callers;
  llvm::DenseSet<const FunctionDecl *> AddressTaken;
  bool QuitsGLibLoop = false;
  llvm::DenseMap<const FunctionDecl *, ExceptionFate> Fates;
  llvm::DenseMap<const FunctionDecl *, bool> NoReturn;
  llvm::DenseMap<const FunctionDecl *, bool> Unbounded;
};

} // namespace leaklib
} // namespace clang

#endif // LEAK_TIDY_LIB_PROGRAM_PROGRAMFACTS_H
