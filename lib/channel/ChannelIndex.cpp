//===--- ChannelIndex.cpp - leak-tidy ------------------------------------===//
#include "lib/channel/ChannelIndex.h"
#include "lib/channel/ChannelProgram.h"
#include "lib/core/AstHelpers.h"
#include "lib/core/UserCodeVisitor.h"
#include "clang/AST/ASTContext.h"
#include "clang/AST/StmtCXX.h"
#include "clang/Basic/SourceManager.h"

namespace clang {
namespace leaklib {

const Stmt *userBody(const Stmt *Body) {
  if (const auto *CB = dyn_cast_or_null<CoroutineBodyStmt>(Body))
    return CB->getBody();
  return Body;
}

namespace {

/// Collects every reference to a channel handle and to a future.
class Collector : public UserCodeVisitor<Collector> {
  using Base = UserCodeVisitor<Collector>;

public:
  Collector(ASTContext &Ctx, const ChannelModel &M, ChannelIndex &Out)
      : Base(Ctx), M(M), Out(Out) {}

  bool TraverseConstructorInitializer(CXXCtorInitializer *Init) {
    if (FieldDecl *FD = Init->getMember())
      if (family(FD->getType()) && createsChannel(Init->getInit(), Ctx))
        Out.Created.insert(FD);
    return Base::TraverseConstructorInitializer(Init);
  }

  bool TraverseDecl(Decl *D) {
    if (!D)
      return true;
    const auto *FD = dyn_cast<FunctionDecl>(D);
    bool Push = FD && FD->doesThisDeclarationHaveABody();
    if (Push)
      Functions.push_back(FD);
    bool R = Base::TraverseDecl(D);
    if (Push)
      Functions.pop_back();
    return R;
  }

  bool TraverseLambdaExpr(LambdaExpr *L) {
    Out.LambdaParent[L] = Lambdas.empty() ? nullptr : Lambdas.back();
    Lambdas.push_back(L);
    bool R = Base::TraverseLambdaExpr(L);
    Lambdas.pop_back();
    return R;
  }

  bool VisitDeclRefExpr(DeclRefExpr *DRE) {
    const auto *VD = dyn_cast<VarDecl>(DRE->getDecl());
    if (!VD)
      return true;
    if (const ChannelFamily *F = familyOfVar(VD))
      record(VD, F, DRE);
    else if (isFuture(VD->getType()))
      Out.FutureRefs[VD].push_back(DRE);
    return true;
  }

  bool VisitMemberExpr(MemberExpr *ME) {
    const auto *FD = dyn_cast<FieldDecl>(ME->getMemberDecl());
    if (!FD)
      return true;
    if (const ChannelFamily *F = family(FD->getType()))
      record(FD, F, ME);
    else if (isFuture(FD->getType()))
      Out.FutureRefs[FD].push_back(ME);
    return true;
  }

  bool VisitVarDecl(VarDecl *VD) {
    if (isa<ParmVarDecl>(VD))
      return true;
    const ChannelFamily *F = familyOfVar(VD);
    if (!F)
      return true;
    if (createsChannel(VD->getInit(), Ctx))
      Out.Created.insert(VD);
    if (!VD->hasLocalStorage() || Functions.empty())
      return true;
    handle(VD, F);
    LocalChannel L;
    L.V = VD;
    if (!Lambdas.empty()) {
      L.Lambda = Lambdas.back();
      L.Scope = L.Lambda->getCallOperator();
      L.Body = userBody(L.Lambda->getBody());
    } else {
      L.Scope = Functions.back();
      L.Body = userBody(Functions.back()->getBody());
    }
    Out.Locals.push_back(L);
    return true;
  }

  bool VisitFieldDecl(FieldDecl *FD) {
    if (const ChannelFamily *F = family(FD->getType())) {
      if (createsChannel(FD->getInClassInitializer(), Ctx))
        Out.Created.insert(FD);
      handle(FD, F);
    }
    return true;
  }

private:
  const ChannelModel &M;
  ChannelIndex &Out;
  std::vector<const FunctionDecl *> Functions;
  std::vector<const LambdaExpr *> Lambdas;
  llvm::DenseMap<const Type *, const ChannelFamily *> TypeCache;
  llvm::DenseMap<const CXXRecordDecl *, bool> FutureCache;

  ChannelHandle &handle(const ValueDecl *D, const ChannelFamily *F) {
    ChannelHandle &H = Out.Handles[D];
    H.D = D;
    H.F = F;
    return H;
  }

  const ChannelFamily *familyOfVar(const VarDecl *VD) {
    if (const ChannelFamily *F = family(VD->getType()))
      return F;
    return M.familyOfUndeducedVar(VD);
  }

  const ChannelFamily *family(QualType T) {
    if (T.isNull())
      return nullptr;
    if (T->isDependentType())
      return M.familyOfHandleType(T);
    const Type *Canon = T.getCanonicalType().getTypePtr();
    auto It = TypeCache.find(Canon);
    if (It != TypeCache.end())
      return It->second;
    // The object type alone is cached by the model; the handle lookup looks
    // through pointers, references and smart pointers.
    const ChannelFamily *F = M.familyOfHandleType(T);
    // Typedef names (GAsyncQueue) are sugar: cache only positive answers
    // and negative answers for types without sugar.
    if (F || T.getTypePtr() == Canon)
      TypeCache[Canon] = F;
    return F;
  }

  bool isFuture(QualType T) {
    T = T.getNonReferenceType();
    const CXXRecordDecl *RD = T->getAsCXXRecordDecl();
    if (!RD)
      return false;
    auto [It, New] = FutureCache.try_emplace(RD, false);
    if (New)
      It->second = M.isFutureType(RD);
    return It->second;
  }

  void record(const ValueDecl *D, const ChannelFamily *F, const Expr *Ref) {
    ChannelHandle &H = handle(D, F);
    ChannelRef R;
    R.Ref = Ref;
    R.Use = M.classifyRef(Ref, *F, Ctx);
    R.Lambda = Lambdas.empty() ? nullptr : Lambdas.back();
    // `q = g_async_queue_new()`: the handle is given a channel of its own.
    if (R.Use.K == ChannelUse::Neutral && R.Use.Node)
      if (const auto *BO = dyn_cast<BinaryOperator>(R.Use.Node))
        if (ignoreTransparent(BO->getLHS(), PeelNone) == Ref &&
            createsChannel(BO->getRHS(), Ctx))
          Out.Created.insert(D);
    H.Refs.push_back(R);
  }
};

} // namespace

ChannelIndex indexChannels(ASTContext &Ctx, const ChannelModel &M) {
  ChannelIndex Out;
  Collector C(Ctx, M, Out);
  C.traverseUserCode();
  return Out;
}

} // namespace leaklib
} // namespace clang
