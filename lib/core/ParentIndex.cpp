//===--- ParentIndex.cpp - leak-tidy -------------------------------------===//
#include "lib/core/ParentIndex.h"
#include "lib/core/PerContext.h"
#include "clang/AST/ASTContext.h"
#include "clang/AST/DeclTemplate.h"
#include "clang/AST/ExprCXX.h"
#include "clang/AST/RecursiveASTVisitor.h"
#include "clang/ASTMatchers/ASTMatchersInternal.h"
#include "clang/Basic/SourceManager.h"
#include "llvm/ADT/SmallPtrSet.h"
#include <memory>
#include <mutex>

namespace clang::leaklib {

namespace {

/// Records, for every Decl, Stmt and constructor initializer it traverses, the
/// node above it. Mirrors what ParentMapContext traverses (template
/// instantiations and implicit code included, so a lambda body's parent chain
/// runs through its call operator and closure class) but does not enter
/// declarations of system headers.
class Collector : public RecursiveASTVisitor<Collector> {
  using Base = RecursiveASTVisitor<Collector>;

public:
  Collector(
      const SourceManager &SM,
      llvm::DenseMap<const void *, llvm::SmallVector<DynTypedNode, 1>> &Parents)
      : SM(SM), Parents(Parents) {}

  bool shouldVisitTemplateInstantiations() const { return true; }
  bool shouldVisitImplicitCode() const { return true; }
  // Statements are traversed by recursion (TraverseStmt is overridden), so
  // the parent stack is exact.
  bool shouldUseDataRecursionFor(Stmt *) const { return false; }

  bool TraverseDecl(Decl *D) {
    if (!D)
      return true;
    if (startsSystemHeaderDecl(*D, SM))
      return true;
    return traverse(DynTypedNode::create(*D), D,
                    [&] { return Base::TraverseDecl(D); });
  }

  bool TraverseStmt(Stmt *S) {
    if (!S)
      return true;
    return traverse(DynTypedNode::create(*S), S,
                    [&] { return Base::TraverseStmt(S); });
  }

  bool TraverseConstructorInitializer(CXXCtorInitializer *Init) {
    if (!Init)
      return true;
    return traverse(DynTypedNode::create(*Init), Init,
                    [&] { return Base::TraverseConstructorInitializer(Init); });
  }

private:
  template <typename F>
  bool traverse(const DynTypedNode &Node, const void *Key, F Inner) {
    if (!Stack.empty()) {
      auto &Ps = Parents[Key];
      const DynTypedNode &Top = Stack.back();
      if (llvm::find(Ps, Top) == Ps.end())
        Ps.push_back(Top);
    }
    Stack.push_back(Node);
    bool R = Inner();
    Stack.pop_back();
    return R;
  }

  const SourceManager &SM;
  llvm::DenseMap<const void *, llvm::SmallVector<DynTypedNode, 1>> &Parents;
  llvm::SmallVector<DynTypedNode, 64> Stack;
};

bool isInstantiationDecl(const Decl *D) {
  if (const auto *RD = dyn_cast<CXXRecordDecl>(D)) {
    TemplateSpecializationKind K = RD->getTemplateSpecializationKind();
    return K == TSK_ImplicitInstantiation ||
           K == TSK_ExplicitInstantiationDefinition;
  }
  if (const auto *FD = dyn_cast<FunctionDecl>(D))
    return FD->isTemplateInstantiation();
  if (const auto *VD = dyn_cast<VarDecl>(D)) {
    TemplateSpecializationKind K = VD->getTemplateSpecializationKind();
    return K == TSK_ImplicitInstantiation ||
           K == TSK_ExplicitInstantiationDefinition;
  }
  return false;
}

} // namespace

ParentIndex::ParentIndex(const ASTContext &Ctx) {
  Collector C(Ctx.getSourceManager(), Parents);
  for (Decl *D : Ctx.getTraversalScope())
    C.TraverseDecl(D);
}

const ParentIndex &ParentIndex::get(const ASTContext &Ctx) {
  return PerContext<ParentIndex>::get(
      Ctx, [&Ctx] { return std::make_unique<ParentIndex>(Ctx); });
}

llvm::ArrayRef<DynTypedNode> ParentIndex::parents(const DynTypedNode &N) const {
  const void *Key = N.getMemoizationData();
  if (!Key)
    return {};
  auto It = Parents.find(Key);
  if (It == Parents.end())
    return {};
  return It->second;
}

const FunctionDecl *ParentIndex::enclosingFunction(const Stmt &S) const {
  DynTypedNode N = DynTypedNode::create(S);
  for (unsigned Depth = 0; Depth < 4096; ++Depth) {
    llvm::ArrayRef<DynTypedNode> Ps = parents(N);
    if (Ps.empty())
      return nullptr;
    N = Ps[0];
    if (const auto *FD = N.get<FunctionDecl>())
      return FD;
    // Past a lambda's captures, a local variable or a local class the walk
    // goes on; a lambda's body is reached through its call operator first.
  }
  return nullptr;
}

bool startsSystemHeaderDecl(const Decl &D, const SourceManager &SM) {
  if (isa<TranslationUnitDecl>(D))
    return false;
  const DeclContext *DC = D.getLexicalDeclContext();
  if (!DC ||
      !(DC->isFileContext() || isa<LinkageSpecDecl>(DC) || isa<ExportDecl>(DC)))
    return false;
  SourceLocation L = D.getLocation();
  return L.isValid() && SM.isInSystemHeader(SM.getExpansionLoc(L));
}

bool isInInstantiation(const Decl &D) {
  if (isInstantiationDecl(&D))
    return true;
  for (const DeclContext *DC = D.getDeclContext(); DC; DC = DC->getParent())
    if (isInstantiationDecl(cast<Decl>(DC)))
      return true;
  return false;
}

bool ParentIndex::inTemplateInstantiation(const Stmt &S) const {
  // Walk every path up to its first declaration; declarations know their
  // enclosing contexts, so the rest of the way needs no index.
  llvm::SmallVector<DynTypedNode, 8> Work{DynTypedNode::create(S)};
  llvm::SmallPtrSet<const void *, 32> Seen;
  while (!Work.empty()) {
    DynTypedNode N = Work.pop_back_val();
    for (const DynTypedNode &P : parents(N)) {
      if (const auto *D = P.get<Decl>()) {
        if (isInInstantiation(*D))
          return true;
        continue;
      }
      if (Seen.insert(P.getMemoizationData()).second && Seen.size() < 4096)
        Work.push_back(P);
    }
  }
  return false;
}

namespace {
using ast_matchers::internal::ASTMatchFinder;
using ast_matchers::internal::BoundNodesTreeBuilder;

class ForCallable : public ast_matchers::internal::MatcherInterface<Stmt> {
public:
  explicit ForCallable(ast_matchers::internal::Matcher<Decl> Inner)
      : Inner(std::move(Inner)) {}
  bool matches(const Stmt &Node, ASTMatchFinder *Finder,
               BoundNodesTreeBuilder *Builder) const override {
    const FunctionDecl *FD =
        ParentIndex::get(Finder->getASTContext()).enclosingFunction(Node);
    return FD && Inner.matches(*FD, Finder, Builder);
  }

private:
  ast_matchers::internal::Matcher<Decl> Inner;
};

class InInstantiation : public ast_matchers::internal::MatcherInterface<Stmt> {
public:
  bool matches(const Stmt &Node, ASTMatchFinder *Finder,
               BoundNodesTreeBuilder *) const override {
    return ParentIndex::get(Finder->getASTContext())
        .inTemplateInstantiation(Node);
  }
};
} // namespace

ast_matchers::internal::Matcher<Stmt>
forCallableInUserCode(ast_matchers::internal::Matcher<Decl> Inner) {
  return ast_matchers::internal::Matcher<Stmt>(
      new ForCallable(std::move(Inner)));
}

ast_matchers::internal::Matcher<Stmt> inTemplateInstantiation() {
  return ast_matchers::internal::Matcher<Stmt>(new InInstantiation());
}

} // namespace clang::leaklib
