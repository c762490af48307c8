//===--- Storage.cpp - leak-tidy ------------------------------------------===//
#include "lib/core/Storage.h"
#include "lib/core/ParentIndex.h"
#include "lib/core/PerContext.h"
#include "clang/AST/ASTContext.h"
#include "clang/AST/DeclCXX.h"
#include "clang/AST/DeclFriend.h"
#include "clang/AST/DeclTemplate.h"
#include "clang/AST/RecursiveASTVisitor.h"
#include "clang/Basic/SourceManager.h"
#include "llvm/ADT/DenseSet.h"

namespace clang {
namespace leaklib {

StorageKind storageScope(const ValueDecl *D) {
  if (!D)
    return StorageKind::Unknown;
  if (isa<FieldDecl>(D))
    return StorageKind::Member;
  const auto *V = dyn_cast<VarDecl>(D);
  if (!V)
    return StorageKind::Unknown;
  if (V->isStaticDataMember())
    return StorageKind::StaticMember;
  if (V->isStaticLocal())
    return StorageKind::StaticLocal;
  if (V->hasGlobalStorage() || V->getTLSKind() != VarDecl::TLS_None)
    return StorageKind::Global;
  return StorageKind::Automatic;
}

StorageKind storageKind(const ValueDecl *D) {
  if (const auto *V = dyn_cast_or_null<VarDecl>(D))
    if (V->getTLSKind() != VarDecl::TLS_None)
      return StorageKind::ThreadLocal;
  return storageScope(D);
}

bool livesForProgram(const VarDecl *V) {
  return V && (V->hasGlobalStorage() || V->getTLSKind() != VarDecl::TLS_None);
}

//===-- Objects that live for the program --------------------------------===//

namespace {
/// The classes with an instance that lives for the program, collected by one
/// walk over the user code of a translation unit.
struct StaticInstances {
  llvm::DenseSet<const CXXRecordDecl *> Classes;
};

class StaticInstanceCollector
    : public RecursiveASTVisitor<StaticInstanceCollector> {
public:
  StaticInstanceCollector(llvm::DenseSet<const CXXRecordDecl *> &Out,
                          const SourceManager &SM)
      : Out(Out), SM(SM) {}
  bool shouldVisitTemplateInstantiations() const { return true; }
  // Static objects declared in system headers (std::cout ...) are of system
  // classes, which no check asks about: skipping them keeps the walk to user
  // code.
  bool TraverseDecl(Decl *D) {
    if (D && startsSystemHeaderDecl(*D, SM))
      return true;
    return RecursiveASTVisitor::TraverseDecl(D);
  }
  bool VisitVarDecl(VarDecl *V) {
    if (!livesForProgram(V))
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
  const SourceManager &SM;
};
} // namespace

bool hasStaticInstance(const CXXRecordDecl *RD, ASTContext &Ctx) {
  if (!RD)
    return false;
  const StaticInstances &S = PerContext<StaticInstances>::get(Ctx, [&Ctx] {
    auto Made = std::make_unique<StaticInstances>();
    StaticInstanceCollector C(Made->Classes, Ctx.getSourceManager());
    C.TraverseDecl(Ctx.getTranslationUnitDecl());
    return Made;
  });
  return S.Classes.count(RD->getCanonicalDecl()) != 0;
}

//===-- Visibility to other translation units ----------------------------===//

static bool inMainFile(SourceLocation L, const SourceManager &SM) {
  return L.isValid() && SM.isInMainFile(SM.getExpansionLoc(L));
}

bool declaredOnlyInMainFile(const Decl *D, const SourceManager &SM) {
  if (!D)
    return false;
  for (const Decl *R : D->redecls())
    if (!inMainFile(R->getLocation(), SM))
      return false;
  return true;
}

static bool isUndefinedMember(const CXXMethodDecl *M) {
  return !M->isImplicit() && !M->isDeleted() && !M->isDefaulted() &&
         !M->isPureVirtual() && !M->hasBody();
}

bool classFullyDefinedHere(const CXXRecordDecl *RD) {
  if (!RD || !RD->hasDefinition())
    return false;
  RD = RD->getDefinition();
  if (RD->hasFriends())
    return false;
  for (const CXXMethodDecl *M : RD->methods())
    if (isUndefinedMember(M))
      return false;
  for (const Decl *Member : RD->decls())
    if (const auto *FT = dyn_cast<FunctionTemplateDecl>(Member))
      if (const auto *M = dyn_cast<CXXMethodDecl>(FT->getTemplatedDecl());
          M && isUndefinedMember(M))
        return false;
  return true;
}

static bool classOnlyHere(const RecordDecl *RD, const SourceManager &SM) {
  if (!RD->isExternallyVisible())
    return true;
  const RecordDecl *Def = RD->getDefinition();
  return inMainFile((Def ? Def : RD)->getLocation(), SM);
}

bool visibleOnlyInThisTU(const NamedDecl *D, const SourceManager &SM) {
  if (!D)
    return false;
  if (const auto *F = dyn_cast<FieldDecl>(D)) {
    const RecordDecl *RD = F->getParent();
    if (classOnlyHere(RD, SM))
      return true;
    if (F->getAccess() == AS_public || F->getAccess() == AS_none)
      return false;
    const auto *CXX = dyn_cast<CXXRecordDecl>(RD);
    return CXX && classFullyDefinedHere(CXX);
  }
  if (const auto *RD = dyn_cast<RecordDecl>(D))
    return classOnlyHere(RD, SM);
  if (const auto *V = dyn_cast<VarDecl>(D)) {
    if (V->isStaticLocal()) {
      const auto *F = dyn_cast<FunctionDecl>(V->getDeclContext());
      return !F || !F->isInlined() || !F->isExternallyVisible() ||
             inMainFile(F->getLocation(), SM);
    }
    if (!V->isExternallyVisible())
      return true;
    return !V->isInline() && declaredOnlyInMainFile(V, SM);
  }
  if (!D->isExternallyVisible())
    return true;
  return declaredOnlyInMainFile(D, SM);
}

bool everyNamedUseVisibleHere(const NamedDecl *D, const SourceManager &SM) {
  if (visibleOnlyInThisTU(D, SM))
    return true;
  const auto *V = dyn_cast_or_null<VarDecl>(D);
  if (!V)
    return false;
  if (V->isStaticLocal()) {
    const auto *F = dyn_cast<FunctionDecl>(V->getDeclContext());
    const FunctionDecl *Def = nullptr;
    return F && F->isInlined() && F->hasBody(Def) &&
           !SM.isInSystemHeader(SM.getExpansionLoc(Def->getLocation()));
  }
  if (V->isStaticDataMember() && V->isInline())
    if (const auto *RD = dyn_cast<CXXRecordDecl>(V->getDeclContext()))
      return !RD->isDependentContext() && classOnlyHere(RD, SM);
  return false;
}

} // namespace leaklib
} // namespace clang
