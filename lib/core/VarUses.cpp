//===--- VarUses.cpp - leak-tidy -----------------------------------------===//
#include "lib/core/VarUses.h"
#include "clang/AST/DeclCXX.h"
#include "clang/AST/Expr.h"
#include "clang/AST/ExprCXX.h"
#include "clang/AST/ParentMap.h"
#include "clang/AST/StmtCXX.h"

namespace clang {
namespace leaklib {

static const Expr *strip(const Expr *E) {
  while (E) {
    E = E->IgnoreParenImpCasts();
    if (const auto *UO = dyn_cast<UnaryOperator>(E)) {
      if (UO->getOpcode() == UO_AddrOf || UO->getOpcode() == UO_Deref) {
        E = UO->getSubExpr();
        continue;
      }
    }
    if (const auto *CE = dyn_cast<CallExpr>(E))
      if (CE->getNumArgs() == 1 && CE->isCallToStdMove()) {
        E = CE->getArg(0);
        continue;
      }
    if (const auto *MTE = dyn_cast<MaterializeTemporaryExpr>(E)) {
      E = MTE->getSubExpr();
      continue;
    }
    if (const auto *CNE = dyn_cast<CXXNamedCastExpr>(E)) {
      E = CNE->getSubExpr();
      continue;
    }
    break;
  }
  return E;
}

bool refersTo(const Expr *E, const ValueDecl *V) {
  E = strip(E);
  if (const auto *DRE = dyn_cast_or_null<DeclRefExpr>(E))
    return DRE->getDecl() == V;
  if (const auto *ME = dyn_cast_or_null<MemberExpr>(E))
    return ME->getMemberDecl() == V;
  return false;
}

bool capturesVar(const LambdaExpr *Lambda, const ValueDecl *V, bool *ByRef) {
  for (const LambdaCapture &C : Lambda->captures()) {
    if (C.capturesVariable() && C.getCapturedVar() == V) {
      if (ByRef)
        *ByRef = C.getCaptureKind() == LCK_ByRef;
      return true;
    }
  }
  return false;
}

llvm::StringRef calleeName(const CallExpr *Call) {
  if (!Call)
    return "";
  if (const FunctionDecl *FD = Call->getDirectCallee())
    if (const IdentifierInfo *II = FD->getIdentifier())
      return II->getName();
  return "";
}

static bool isStdMoveLike(const CallExpr *CE) {
  if (CE->getNumArgs() != 1)
    return false;
  if (CE->isCallToStdMove())
    return true;
  llvm::StringRef N = calleeName(CE);
  return N == "forward" || N == "move";
}

VarUse classifyUse(const Stmt *S, const ValueDecl *V, ParentMap &PM) {
  VarUse U;
  if (!S || !V)
    return U;

  if (const auto *L = dyn_cast<LambdaExpr>(S)) {
    bool ByRef = false;
    if (capturesVar(L, V, &ByRef)) {
      U.K = VarUse::Captured;
      U.CaptureByRef = ByRef;
    }
    return U;
  }

  if (const auto *MC = dyn_cast<CXXMemberCallExpr>(S)) {
    if (refersTo(MC->getImplicitObjectArgument(), V)) {
      U.K = VarUse::MemberCall;
      U.Call = MC;
      U.Method = MC->getMethodDecl();
      U.Callee = U.Method;
      return U;
    }
  }
  if (const auto *OC = dyn_cast<CXXOperatorCallExpr>(S)) {
    // v = other (move/copy assignment into v), or v.operator()(...)
    if (OC->getNumArgs() >= 1 && refersTo(OC->getArg(0), V)) {
      if (OC->isAssignmentOp()) {
        U.K = VarUse::Overwritten;
        U.Call = OC;
        return U;
      }
      U.K = VarUse::MemberCall;
      U.Call = OC;
      U.Method = dyn_cast_or_null<CXXMethodDecl>(OC->getDirectCallee());
      U.Callee = OC->getDirectCallee();
      return U;
    }
  }
  if (const auto *CE = dyn_cast<CallExpr>(S)) {
    if (isStdMoveLike(CE) && refersTo(CE->getArg(0), V)) {
      U.K = VarUse::Moved;
      return U;
    }
    unsigned First = isa<CXXOperatorCallExpr>(CE) ? 1 : 0;
    for (unsigned I = First, N = CE->getNumArgs(); I < N; ++I) {
      const Expr *A = CE->getArg(I);
      if (!refersTo(A, V))
        continue;
      U.K = VarUse::Argument;
      U.Call = CE;
      U.Callee = CE->getDirectCallee();
      U.ArgIndex = I - First;
      const Expr *AI = A->IgnoreParenImpCasts();
      if (const auto *UO = dyn_cast<UnaryOperator>(AI))
        U.ByReference = UO->getOpcode() == UO_AddrOf;
      if (U.Callee && U.ArgIndex < U.Callee->getNumParams()) {
        QualType PT = U.Callee->getParamDecl(U.ArgIndex)->getType();
        if (PT->isReferenceType() &&
            (!PT->getPointeeType().isConstQualified() ||
             PT->isRValueReferenceType()))
          U.ByReference = true;
        if (PT->isPointerType() && !PT->getPointeeType().isConstQualified())
          U.ByReference = true;
      } else if (!U.Callee) {
        U.ByReference = true; // unknown callee: assume it may keep it
      }
      return U;
    }
    return U;
  }
  if (const auto *CCE = dyn_cast<CXXConstructExpr>(S)) {
    for (const Expr *A : CCE->arguments())
      if (refersTo(A, V)) {
        // A copy or move of v into the new object.
        U.K = VarUse::StoredAway;
        return U;
      }
    return U;
  }
  if (const auto *RS = dyn_cast<ReturnStmt>(S)) {
    if (RS->getRetValue() && refersTo(RS->getRetValue(), V))
      U.K = VarUse::Returned;
    return U;
  }
  if (const auto *BO = dyn_cast<BinaryOperator>(S)) {
    if (BO->isAssignmentOp()) {
      if (refersTo(BO->getLHS(), V) &&
          isa<DeclRefExpr>(BO->getLHS()->IgnoreParenImpCasts())) {
        U.K = VarUse::Overwritten;
        return U;
      }
      if (refersTo(BO->getRHS(), V)) {
        U.K = VarUse::StoredAway;
        return U;
      }
    }
    return U;
  }
  if (const auto *UO = dyn_cast<UnaryOperator>(S)) {
    if (UO->getOpcode() == UO_AddrOf && refersTo(UO->getSubExpr(), V)) {
      // Address taken: an argument if the parent is a call (handled there).
      const Stmt *P =
          PM.getParentIgnoreParenImpCasts(const_cast<UnaryOperator *>(UO));
      if (isa_and_nonnull<CallExpr>(P))
        return U;
      U.K = VarUse::AddressTaken;
      U.ByReference = true;
    }
    return U;
  }
  if (const auto *DS = dyn_cast<DeclStmt>(S)) {
    for (const Decl *D : DS->decls())
      if (const auto *VD = dyn_cast<VarDecl>(D))
        if (VD != V && VD->getInit() && refersTo(VD->getInit(), V)) {
          U.K = VarUse::StoredAway;
          // A reference bound to v is an alias: it may be joined through it.
          return U;
        }
    return U;
  }
  if (const auto *DRE = dyn_cast<DeclRefExpr>(S)) {
    if (DRE->getDecl() == V)
      U.K = VarUse::Read;
    return U;
  }
  return U;
}

} // namespace leaklib
} // namespace clang
