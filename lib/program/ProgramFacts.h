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
//    loop, nothing it calls or hands on as a callback loops without bound)?
//  - which heap object does an expression create (new T, make_shared<T>,
//    make_unique<T>): the object lives as long as what holds it.
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
#include <string>

namespace clang {
class ASTContext;
class CXXRecordDecl;
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
  /// The main() defined in this TU, or null.
  const FunctionDecl *mainFunction() const { return Main; }
  /// Why \p V lives as long as the process, in words for a note ("static
  /// storage", "local of main(), which runs until the process ends", "local
  /// of 'serve', which never returns"); empty when it does not.
  std::string whyLivesForProcess(const VarDecl *V);

  /// The class of the heap object \p E creates: `new T`, std::make_shared<T>,
  /// std::make_unique<T>, std::allocate_shared<T>, or a smart pointer made
  /// from one (`std::shared_ptr<T>(new T)`); parens, casts and temporaries
  /// are looked through. Null for anything else (arrays, placement new).
  /// \p Node, when given, receives the CXXNewExpr or the factory call.
  static const CXXRecordDecl *heapObjectCreated(const Expr *E,
                                                const Expr **Node = nullptr);
  /// Whether \p E is a call of std::make_shared, std::make_unique or
  /// std::allocate_shared (whose object the library constructs).
  static bool isSmartPointerFactoryCall(const Expr *E);

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
  /// Every called function (canonical) with its calls in user code.
  const llvm::DenseMap<const FunctionDecl *, llvm::SmallVector<CallSite, 2>> &
  allCallSites() const {
    return Callers;
  }
  /// Every function whose address user code takes, with the first such
  /// reference.
  const llvm::DenseMap<const FunctionDecl *, const Expr *> &
  addressesTaken() const {
    return AddressTakenAt;
  }

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
  llvm::DenseMap<const FunctionDecl *, const Expr *> AddressTakenAt;
  bool QuitsGLibLoop = false;
  const FunctionDecl *Main = nullptr;
  llvm::DenseMap<const FunctionDecl *, ExceptionFate> Fates;
  llvm::DenseMap<const FunctionDecl *, bool> NoReturn;
  llvm::DenseMap<const FunctionDecl *, bool> Unbounded;
};

} // namespace leaklib
} // namespace clang

#endif // LEAK_TIDY_LIB_PROGRAM_PROGRAMFACTS_H
