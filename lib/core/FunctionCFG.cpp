//===--- FunctionCFG.cpp - leak-tidy -------------------------------------===//
#include "lib/core/FunctionCFG.h"
#include "lib/core/PerContext.h"
#include "clang/AST/ASTContext.h"
#include "clang/AST/Decl.h"
#include "clang/AST/StmtCXX.h"

namespace clang {
namespace leaklib {

unsigned countStmtsUpTo(const Stmt *S, unsigned Cap) {
  if (!S)
    return 0;
  // Iterative walk: deep nesting must not overflow the stack.
  llvm::SmallVector<const Stmt *, 64> Work{S};
  unsigned N = 0;
  while (!Work.empty()) {
    const Stmt *Cur = Work.pop_back_val();
    if (++N > Cap)
      return N;
    for (const Stmt *Child : Cur->children())
      if (Child)
        Work.push_back(Child);
  }
  return N;
}

namespace {
/// The CFGs of one ASTContext, by declaration (null: could not be built).
struct CFGCache {
  llvm::DenseMap<std::pair<const Decl *, const Stmt *>,
                 std::unique_ptr<FunctionCFG>>
      CFGs;
};
} // namespace

FunctionCFG *FunctionCFG::get(const Decl *D, const Stmt *Body,
                              ASTContext &Ctx) {
  if (!D || !Body)
    return nullptr;
  CFGCache &Cache = PerContext<CFGCache>::get(
      Ctx, [] { return std::make_unique<CFGCache>(); });
  auto It = Cache.CFGs.find({D, Body});
  if (It != Cache.CFGs.end())
    return It->second.get();
  std::unique_ptr<FunctionCFG> F;
  if (!D->isInvalidDecl() && !D->isTemplated())
    F = build(D, Body, Ctx);
  return (Cache.CFGs[{D, Body}] = std::move(F)).get();
}

std::unique_ptr<FunctionCFG> FunctionCFG::build(const Decl *D, const Stmt *Body,
                                                ASTContext &Ctx,
                                                const CFGLimits &Limits) {
  if (!D || !Body || D->isInvalidDecl())
    return nullptr;
  // Templates are analysed as written: dependent calls are opaque to the
  // models, which then stay silent about them.
  if (countStmtsUpTo(Body, Limits.MaxStmts) > Limits.MaxStmts)
    return nullptr;

  CFG::BuildOptions Opts;
  Opts.AddImplicitDtors = true;
  Opts.AddLifetime = true;
  Opts.AddTemporaryDtors = true;
  Opts.AddCXXNewAllocator = false;
  Opts.AddCXXDefaultInitExprInCtors = true;
  Opts.setAllAlwaysAdd();

  std::unique_ptr<FunctionCFG> Result(new FunctionCFG(Ctx));
  Result->Body = Body;
  Result->Graph = CFG::buildCFG(D, const_cast<Stmt *>(Body), &Ctx, Opts);
  if (!Result->Graph || Result->Graph->getNumBlockIDs() > Limits.MaxBlocks)
    return nullptr;
  Result->Parents = std::make_unique<ParentMap>(const_cast<Stmt *>(Body));

  for (const CFGBlock *B : *Result->Graph) {
    if (!B)
      continue;
    unsigned I = 0;
    for (const CFGElement &E : *B) {
      if (auto CS = E.getAs<CFGStmt>())
        Result->Elements.try_emplace(CS->getStmt(), ElementRef{B, I});
      ++I;
    }
    if (const Stmt *L = B->getLabel())
      Result->Labels.try_emplace(L, B);
    if (const Stmt *T = B->getTerminatorStmt())
      Result->Terminators.try_emplace(T, B);
  }
  return Result;
}

std::optional<ElementRef> FunctionCFG::locate(const Stmt *S) const {
  auto It = Elements.find(S);
  if (It == Elements.end())
    return std::nullopt;
  return It->second;
}

const CFGBlock *FunctionCFG::handlerBlock(const CXXCatchStmt *C) const {
  return Labels.lookup(C);
}

const CFGBlock *FunctionCFG::blockWithTerminator(const Stmt *S) const {
  return Terminators.lookup(S);
}

} // namespace leaklib
} // namespace clang
