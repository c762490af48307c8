//===--- StorageFacts.cpp - leak-tidy ------------------------------------===//
#include "lib/StorageFacts.h"
#include "clang/AST/ASTContext.h"
#include "clang/AST/DeclCXX.h"
#include "clang/AST/Expr.h"
#include "clang/AST/ExprCXX.h"
#include "clang/AST/RecursiveASTVisitor.h"
#include "llvm/ADT/DenseSet.h"

namespace clang {
namespace leak {

bool hasProgramLifetime(const VarDecl *V) {
  if (!V)
    return false;
  return V->hasGlobalStorage() || V->getTLSKind() != VarDecl::TLS_None;
}

struct StaticInstanceIndex::Impl {
  llvm::DenseSet<const CXXRecordDecl *> Classes;
};

StaticInstanceIndex::~StaticInstanceIndex() { delete P; }

namespace {
class StaticInstanceCollector
    : public RecursiveASTVisitor<StaticInstanceCollector> {
public:
  explicit StaticInstanceCollector(llvm::DenseSet<const CXXRecordDecl *> &Out)
      : Out(Out) {}
  bool shouldVisitTemplateInstantiations() const { return true; }
  bool VisitVarDecl(VarDecl *V) {
    if (!hasProgramLifetime(V))
      return true;
    QualType T = V->getType();
    if (T->isReferenceType() || T->isPointerType())
      return true;
    if (const auto *RD = T->getBaseElementTypeUnsafe()->getAsCXXRecordDecl())
      Out.insert(RD->getCanonicalDecl());
    return true;
  }

private:
  llvm::DenseSet<const CXXRecordDecl *> &Out;
};
} // namespace

void StaticInstanceIndex::build() {
  Built = true;
  P = new Impl;
  StaticInstanceCollector C(P->Classes);
  C.TraverseDecl(Ctx.getTranslationUnitDecl());
}

bool StaticInstanceIndex::hasStaticInstance(const CXXRecordDecl *RD) {
  if (!RD)
    return false;
  if (!Built)
    build();
  return P->Classes.count(RD->getCanonicalDecl()) != 0;
}

bool designatesProgramLifetimeStorage(const Expr *E,
                                      StaticInstanceIndex *Index) {
  while (E) {
    E = E->IgnoreParenImpCasts();
    if (const auto *DRE = dyn_cast<DeclRefExpr>(E)) {
      const auto *V = dyn_cast<VarDecl>(DRE->getDecl());
      return V && !V->getType()->isReferenceType() && hasProgramLifetime(V);
    }
    if (const auto *ME = dyn_cast<MemberExpr>(E)) {
      if (const auto *VD = dyn_cast<VarDecl>(ME->getMemberDecl()))
        return hasProgramLifetime(VD); // static data member
      if (ME->isArrow()) {
        const Expr *Base = ME->getBase()->IgnoreParenImpCasts();
        if (isa<CXXThisExpr>(Base) && Index) {
          const CXXRecordDecl *RD =
              Base->getType()->getPointeeType()->getAsCXXRecordDecl();
          return Index->hasStaticInstance(RD);
        }
        return false; // through a pointer: unknown target
      }
      E = ME->getBase();
      continue;
    }
    if (const auto *ASE = dyn_cast<ArraySubscriptExpr>(E)) {
      E = ASE->getBase();
      continue;
    }
    return false;
  }
  return false;
}

} // namespace leak
} // namespace clang
