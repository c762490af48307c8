//===--- FunctionSummaries.h - leak-tidy ----------------------------------===//
//
// What a called function does, in a few facts, so that a check looking at a
// call knows more than "an unknown function": computed on demand over the
// translation unit's call graph (ProgramFacts), memoised per function, with
// cycles cut and a depth cap. A function without a body in this TU has no
// summary: every answer is then the conservative one (false / null).
// Family-specific facts (what is a fresh handle, what releases one) take the
// family's test as a callback.
//
//===----------------------------------------------------------------------===//
#ifndef LEAK_TIDY_LIB_PROGRAM_FUNCTIONSUMMARIES_H
#define LEAK_TIDY_LIB_PROGRAM_FUNCTIONSUMMARIES_H

#include "llvm/ADT/DenseMap.h"
#include "llvm/ADT/STLFunctionalExtras.h"
#include <utility>

namespace clang {
class ASTContext;
class CXXMethodDecl;
class Expr;
class FunctionDecl;
class ParmVarDecl;
class Stmt;
namespace leaklib {
class NameMatcher;
class ProgramFacts;
class ProjectFacts;

class FunctionSummaries {
public:
  static FunctionSummaries &get(ASTContext &Ctx);
  explicit FunctionSummaries(ASTContext &Ctx);

  /// Every call of \p FD is in this TU and passes a constant as parameter
  /// \p I: a literal, a string literal (also as a std::string), an
  /// enumerator, a constexpr or const-initialised variable, the address of a
  /// global. False when another TU or a function pointer may call it.
  bool calledOnlyWithConstants(const FunctionDecl *FD, unsigned I);

  /// Exports a `call` fact per call in this TU of a function other TUs can
  /// see (`const_args`: every argument a constant; `args`: per argument),
  /// and one with `address` for a function whose address is taken.
  void exportCallFacts(ProjectFacts &Facts);

  /// \p FD waits or sleeps on every call: a statement of its body's top level
  /// calls one of \p Waits, or a function that does (a few levels deep).
  bool waitsOnEveryCall(const FunctionDecl *FD, const NameMatcher &Waits);

  /// A static trampoline: \p FD takes a `void *`, casts it to `T *` and calls
  /// a method of T on it (`static void *run(void *p) { ((Pool *)p)->work(); }`
  /// handed to pthread_create). Returns that method, or null.
  const CXXMethodDecl *trampolineTarget(const FunctionDecl *FD);

  /// Every return of \p FD returns something \p IsFresh accepts: directly, or
  /// a local variable initialised with it.
  bool returnsFresh(const FunctionDecl *FD,
                    llvm::function_ref<bool(const Expr *)> IsFresh);

  /// A statement of \p FD's body's top level is one that \p IsRelease accepts
  /// for parameter \p I: \p FD releases (joins, stops, frees) what it is given.
  bool releasesParam(
      const FunctionDecl *FD, unsigned I,
      llvm::function_ref<bool(const Stmt *, const ParmVarDecl *)> IsRelease);

private:
  bool waits(const FunctionDecl *FD, const NameMatcher &Waits, unsigned Depth);
  bool isConstantArg(const Expr *E) const;

  ASTContext &Ctx;
  ProgramFacts &PF;
  llvm::DenseMap<std::pair<const FunctionDecl *, const NameMatcher *>, bool>
      Waits;
};

} // namespace leaklib
} // namespace clang

#endif // LEAK_TIDY_LIB_PROGRAM_FUNCTIONSUMMARIES_H
