//===--- FunctionCFG.h - leak-tidy ---------------------------------------===//
//
// One function body's CFG, built once with the options every leak-tidy
// analysis expects (implicit destructors, lifetime ends, every expression as
// its own element), plus the lookups the analyses need: where a statement
// sits in the CFG, which block starts a catch handler, and the parent map.
// Building gives up (returns null) past a size cap: analyses stay silent.
//
//===----------------------------------------------------------------------===//
#ifndef LEAK_TIDY_LIB_CORE_FUNCTIONCFG_H
#define LEAK_TIDY_LIB_CORE_FUNCTIONCFG_H

#include "clang/AST/ParentMap.h"
#include "clang/Analysis/CFG.h"
#include "llvm/ADT/DenseMap.h"
#include <memory>

namespace clang {
class ASTContext;
class CXXCatchStmt;
class Decl;
class Stmt;
namespace leaklib {

struct CFGLimits {
  /// Functions whose body has more statements than this are not analysed.
  unsigned MaxStmts = 50000;
  /// CFGs with more blocks than this are dropped after building.
  unsigned MaxBlocks = 20000;
};

/// Where a statement sits: block and index of its CFGStmt element.
struct ElementRef {
  const CFGBlock *Block = nullptr;
  unsigned Index = 0;
};

class FunctionCFG {
public:
  /// Builds the CFG of \p Body (the body of \p D). Returns null when the body
  /// is too large or Clang cannot build a CFG (e.g. invalid code).
  static std::unique_ptr<FunctionCFG> build(const Decl *D, const Stmt *Body,
                                            ASTContext &Ctx,
                                            const CFGLimits &Limits = {});

  /// The CFG of \p D's body \p Body, built once per ASTContext and shared by
  /// every check; kept until the context is freed. Null when it cannot be
  /// built (invalid or dependent code, over the default limits); that answer
  /// is cached too.
  static FunctionCFG *get(const Decl *D, const Stmt *Body, ASTContext &Ctx);

  const CFG &cfg() const { return *Graph; }
  ParentMap &parents() { return *Parents; }
  const Stmt *body() const { return Body; }
  ASTContext &context() const { return Ctx; }

  /// The CFG element of \p S, if \p S is an element (with every expression
  /// added, any evaluated expression is).
  std::optional<ElementRef> locate(const Stmt *S) const;
  /// The block whose label is the catch handler \p C.
  const CFGBlock *handlerBlock(const CXXCatchStmt *C) const;
  /// The block whose terminator is \p S (if/while/for/switch/break/...).
  const CFGBlock *blockWithTerminator(const Stmt *S) const;

private:
  FunctionCFG(ASTContext &Ctx) : Ctx(Ctx) {}
  ASTContext &Ctx;
  const Stmt *Body = nullptr;
  std::unique_ptr<CFG> Graph;
  std::unique_ptr<ParentMap> Parents;
  llvm::DenseMap<const Stmt *, ElementRef> Elements;
  llvm::DenseMap<const Stmt *, const CFGBlock *> Labels;
  llvm::DenseMap<const Stmt *, const CFGBlock *> Terminators;
};

/// Counts the statements under \p S, stopping once \p Cap is exceeded.
unsigned countStmtsUpTo(const Stmt *S, unsigned Cap);

} // namespace leaklib
} // namespace clang

#endif // LEAK_TIDY_LIB_CORE_FUNCTIONCFG_H
