//===--- ContainerGuards.cpp - leak-tidy ----------------------------------===//
//
// Whether a comparison of a container's size with a bound caps a grow of
// that container: the comparison is a branch condition in the function (or
// lambda) of the grow, and the grow runs only after the edge on which the
// size is below the bound -- `if (M.size() < Cap) M[K] = V;`,
// `if (M.size() >= Cap) return; M[K] = V;`, `while (V.size() < N)
// V.push_back(X);`. The question is answered on the function's CFG with
// Clang's dominator tree: the edge dominates the grow's block. A loop exit
// never caps (`for (I = 0; I < V.size(); ++I)` before a push_back is an
// index bound, not a size cap).
//
//===----------------------------------------------------------------------===//
#include "lib/container/ContainerUseAnalysis.h"
#include "lib/core/LoopFacts.h"
#include "clang/AST/ExprCXX.h"

namespace clang {
namespace leaklib {
namespace containeruse {

namespace {

/// The body a site runs in: the lambda's call operator, or the function.
const FunctionDecl *codeOf(const SiteContext &C) {
  if (C.Lambda)
    return C.Lambda->getCallOperator();
  return C.Fn;
}

/// The value of comparison \p Cmp (a size on one side, a bound on the other)
/// that says the size is below the bound, or none.
std::optional<bool> belowBoundWhen(const Expr *Cmp) {
  BinaryOperatorKind Op;
  const Expr *LHS = nullptr;
  if (const auto *B = dyn_cast<BinaryOperator>(Cmp)) {
    Op = B->getOpcode();
    LHS = B->getLHS();
  } else if (const auto *O = dyn_cast<CXXOperatorCallExpr>(Cmp)) {
    Op = BinaryOperator::getOverloadedOpcode(O->getOperator());
    LHS = O->getArg(0);
  } else {
    return std::nullopt;
  }
  // The size query is a call (size(), g_hash_table_size(...)); the bound,
  // when it is a call too, makes the side ambiguous.
  const Expr *L = LHS->IgnoreParenImpCasts();
  const Expr *R =
      isa<BinaryOperator>(Cmp)
          ? cast<BinaryOperator>(Cmp)->getRHS()->IgnoreParenImpCasts()
          : cast<CXXOperatorCallExpr>(Cmp)->getArg(1)->IgnoreParenImpCasts();
  if (isa<CallExpr>(L) == isa<CallExpr>(R))
    return std::nullopt;
  if (!isa<CallExpr>(L))
    Op = BinaryOperator::reverseComparisonOp(Op);
  switch (Op) {
  case BO_LT:
  case BO_LE:
  case BO_NE:
    return true;
  case BO_GT:
  case BO_GE:
  case BO_EQ:
    return false;
  default:
    return std::nullopt;
  }
}

/// Whether every path from the entry to \p Target passes the edge from
/// \p From to its successor \p Index.
bool edgeDominates(CFGDomTree &DT, const CFGBlock *From, unsigned Index,
                   const CFGBlock *Target) {
  if (Index >= From->succ_size())
    return false;
  const CFGBlock *To = From->succ_begin()[Index].getReachableBlock();
  if (!To || To == From)
    return false;
  for (unsigned I = 0; I < From->succ_size(); ++I)
    if (I != Index && From->succ_begin()[I].getReachableBlock() == To)
      return false; // both edges lead there: the test decides nothing
  if (!DT.dominates(To, Target))
    return false;
  // Another way into To that To does not dominate (not a back edge) enters
  // it without the test.
  for (const CFGBlock::AdjacentBlock &P : To->preds()) {
    const CFGBlock *PB = P.getReachableBlock();
    if (PB && PB != From && !DT.dominates(To, PB))
      return false;
  }
  return true;
}

} // namespace

CFGDomTree *Analysis::dominatorTree(FunctionCFG &F) {
  std::unique_ptr<CFGDomTree> &DT = DomTrees[&F];
  if (!DT)
    DT = std::make_unique<CFGDomTree>(const_cast<CFG *>(&F.cfg()));
  return DT.get();
}

/// Whether size test \p T caps grow \p G (see the file comment).
bool Analysis::guards(const SizeTest &T, const GrowSite &G) {
  const FunctionDecl *Code = codeOf(T.Ctx);
  if (!Code || !G.Call || Code != codeOf(G.Ctx) || !Code->hasBody())
    return false;
  std::optional<bool> Below = belowBoundWhen(T.Cmp);
  if (!Below)
    return false;
  FunctionCFG *F = FunctionCFG::get(Code, Code->getBody(), Ctx);
  if (!F)
    return false;
  std::optional<ElementRef> At = F->locate(T.Cmp), Grow = F->locate(G.Call);
  if (!At || !Grow)
    return false;
  // The comparison must be what its block branches on (`!` flips it).
  const auto *Cond =
      dyn_cast_or_null<Expr>(At->Block->getTerminatorCondition(false));
  bool Value = *Below;
  while (Cond && Cond != T.Cmp) {
    const Expr *Next = Cond->IgnoreParenCasts();
    if (const auto *U = dyn_cast<UnaryOperator>(Next);
        U && U->getOpcode() == UO_LNot) {
      Value = !Value;
      Next = U->getSubExpr();
    } else if (const auto *B = dyn_cast<BinaryOperator>(Next);
               B && B->isLogicalOp())
      Next = B->getRHS(); // the block evaluates the last operand
    if (Next == Cond)
      return false;
    Cond = Next;
  }
  if (!Cond)
    return false;
  const Stmt *Term = At->Block->getTerminatorStmt();
  // A loop caps only the turns it takes: the edge into its body.
  if (Term && isLoop(Term) && !Value)
    return false;
  return edgeDominates(*dominatorTree(*F), At->Block, Value ? 0 : 1,
                       Grow->Block);
}

bool Analysis::guardedBySize(const Entity &E, const GrowSite &G) {
  for (const SizeTest &T : E.SizeTests)
    if (guards(T, G))
      return true;
  return false;
}

} // namespace containeruse
} // namespace leaklib
} // namespace clang
