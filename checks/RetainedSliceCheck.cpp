//===--- RetainedSliceCheck.cpp - leak-tidy -------------------------------===//
#include "checks/RetainedSliceCheck.h"
#include "lib/core/ParentIndex.h"
#include "clang/AST/ASTContext.h"
#include "clang/ASTMatchers/ASTMatchFinder.h"
#include <climits>

using namespace clang::ast_matchers;
using namespace clang::leaklib;

namespace clang::tidy::leak {

namespace {

AST_MATCHER_P(NamedDecl, inNames, const leaklib::NameMatcher *, Names) {
  return Names->matches(&Node);
}

AST_MATCHER(Expr, hasContainerType) {
  return bufferFamily(Node.getType()) != BufferFamily::None;
}

AST_MATCHER(CXXRecordDecl, hasContainerField) {
  if (!Node.hasDefinition())
    return false;
  for (const FieldDecl *F : Node.fields())
    if (bufferFamily(F->getType()) != BufferFamily::None)
      return true;
  return false;
}

} // namespace

RetainedSliceCheck::RetainedSliceCheck(StringRef Name,
                                       ClangTidyContext *Context)
    : LeakCheck(Name, Context),
      Facts(std::make_unique<SliceFacts>(readOptions())) {}

SliceOptions RetainedSliceCheck::readOptions() {
  SliceOptions O;
  O.SliceTypes = NameMatcher(
      nameListOption("SliceTypes", SliceOptions::DefaultSliceTypes));
  O.SlicingFunctions = NameMatcher(nameListOption(
      "SlicingFunctions", SliceOptions::DefaultSlicingFunctions));
  O.OwnerTypes = NameMatcher(
      nameListOption("OwnerTypes", SliceOptions::DefaultOwnerTypes));
  O.LargeBufferBytes = unsignedOption(
      "LargeBufferBytes", SliceOptions::DefaultLargeBufferBytes, 1, UINT_MAX);
  O.Kinds.parse(listOption(
      "StorageKinds", StorageKinds::defaultNames(),
      [](StringRef E) -> std::string {
        StorageKinds Probe;
        if (Probe.parse({E.str()}).empty())
          return "";
        return "'" + E.str() +
               "' is not a storage kind (Globals, StaticLocals, ThreadLocals, "
               "StaticObjectMembers, DataMembers, ProcessLocals)";
      }));
  return O;
}

void RetainedSliceCheck::registerMatchers(MatchFinder *Finder) {
  const SliceOptions &O = Facts->options();
  // Uses in system headers are never reported; skipping them first keeps
  // the ancestor walks (inTemplateInstantiation) away from library code.
  auto UserCode = unless(isExpansionInSystemHeader());
  // Project facts: once per TU (a no-op unless exporting).
  Finder->addMatcher(translationUnitDecl().bind("tu"), this);
  // Form 1: owning aliases of part of a buffer.
  Finder->addMatcher(
      cxxConstructExpr(UserCode, argumentCountIs(2),
                       hasDeclaration(cxxConstructorDecl(
                           ofClass(cxxRecordDecl(inNames(&O.OwnerTypes))))))
          .bind("alias"),
      this);
  if (!O.SliceTypes.empty()) {
    auto SliceType = hasType(hasUnqualifiedDesugaredType(
        recordType(hasDeclaration(cxxRecordDecl(inNames(&O.SliceTypes))))));
    Finder->addMatcher(expr(UserCode, anyOf(cxxConstructExpr(SliceType),
                                            initListExpr(SliceType)))
                           .bind("slice"),
                       this);
  }
  if (!O.SlicingFunctions.empty())
    Finder->addMatcher(
        callExpr(UserCode, callee(functionDecl(inNames(&O.SlicingFunctions))))
            .bind("slicing"),
        this);
  // Form 2: interior pointers into heap blocks.
  Finder->addMatcher(expr(UserCode,
                          anyOf(binaryOperator(hasAnyOperatorName("+", "-"),
                                               hasType(pointerType())),
                                unaryOperator(hasOperatorName("&"),
                                              hasUnaryOperand(ignoringParens(
                                                  arraySubscriptExpr())))),
                          unless(inTemplateInstantiation()))
                         .bind("interior"),
                     this);
  // Form 3: every use of a long-lived container or a container member.
  Finder->addMatcher(declRefExpr(UserCode, to(varDecl(hasGlobalStorage())),
                                 hasContainerType(),
                                 unless(inTemplateInstantiation()))
                         .bind("cref"),
                     this);
  Finder->addMatcher(memberExpr(UserCode, hasContainerType(),
                                member(anyOf(fieldDecl(), varDecl())),
                                unless(inTemplateInstantiation()))
                         .bind("cref"),
                     this);
  // Assigning a whole object replaces its container members.
  Finder->addMatcher(
      cxxOperatorCallExpr(
          UserCode, hasOverloadedOperatorName("="),
          hasArgument(
              0, hasType(hasUnqualifiedDesugaredType(recordType(hasDeclaration(
                     cxxRecordDecl(hasContainerField()).bind("assigned")))))))
          .bind("wholeassign"),
      this);
}

void RetainedSliceCheck::onStartOfTranslationUnit() {
  Ctx = nullptr;
  Facts->startTranslationUnit();
}

void RetainedSliceCheck::check(const MatchFinder::MatchResult &Result) {
  ASTContext &C = *Result.Context;
  const BoundNodes &N = Result.Nodes;
  if (N.getNodeAs<TranslationUnitDecl>("tu")) {
    exportSliceSummaries(C); // project facts: helpers defined here
    return;
  }
  Ctx = &C;
  std::optional<RetainedSlice> Slice;
  if (const auto *CE = N.getNodeAs<CXXConstructExpr>("alias"))
    Slice = Facts->aliasSlice(CE, C);
  else if (const auto *E = N.getNodeAs<Expr>("slice"))
    Slice = Facts->userSlice(E, C);
  else if (const auto *Call = N.getNodeAs<CallExpr>("slicing"))
    Slice = Facts->slicingCall(Call, C);
  else if (const auto *E = N.getNodeAs<Expr>("interior")) {
    if (std::optional<RetainedBlock> Block = Facts->retainedBlock(E, C))
      report(*Block);
  } else if (const auto *Ref = N.getNodeAs<Expr>("cref"))
    Facts->recordContainerUse(Ref, C);
  else if (const auto *RD = N.getNodeAs<CXXRecordDecl>("assigned"))
    Facts->noteWholeObjectAssigned(RD);
  if (Slice)
    report(*Slice);
}

void RetainedSliceCheck::onEndOfTranslationUnit() {
  if (Ctx)
    for (const RetainedCapacity &R : Facts->retainedCapacity(*Ctx))
      report(R);
  Ctx = nullptr;
}

/// For a local that lives as long as the process: why it does.
void RetainedSliceCheck::noteProcessLocal(const Sink &S) {
  const auto *V = dyn_cast_or_null<VarDecl>(S.Storage.Root);
  if (!V || S.Storage.Kind != StorageKind::Automatic)
    return;
  const auto *FD = dyn_cast<FunctionDecl>(V->getDeclContext());
  if (!FD)
    return;
  diag(V->getLocation(),
       "%0 lives as long as the process: %select{main() does not end soon|"
       "%2 never returns}1",
       DiagnosticIDs::Note)
      << V << !FD->isMain() << FD;
}

/// The source text of \p E ("R.body"), for notes.
static std::string getText(const Expr *E) {
  const auto *ME = dyn_cast<MemberExpr>(E);
  const auto *DRE =
      ME ? dyn_cast<DeclRefExpr>(ME->getBase()->IgnoreParenImpCasts())
         : nullptr;
  if (!DRE)
    return "";
  return DRE->getDecl()->getNameAsString() + (ME->isArrow() ? "->" : ".") +
         ME->getMemberDecl()->getNameAsString();
}

void RetainedSliceCheck::report(const RetainedSlice &R) {
  const BufferOrigin &O = R.Origin;
  for (const Sink &S : R.Sinks) {
    diag(S.loc(), "slice stored in %select{|an element of }0%1 keeps the "
                  "whole buffer alive (%2)")
        << S.Storage.InContainer << cast<NamedDecl>(S.Storage.Root)
        << R.Size.describe();
    noteProcessLocal(S);
    if (S.Local)
      diag(R.Site->getBeginLoc(), "the slice is made here",
           DiagnosticIDs::Note);
    if (O.K == BufferOrigin::Parameter)
      diag(O.Var->getLocation(), "the retained buffer comes from parameter %0",
           DiagnosticIDs::Note)
          << O.Var;
    else if (O.K == BufferOrigin::Created ||
             O.K == BufferOrigin::FunctionResult)
      diag(O.Where->getBeginLoc(),
           "the retained buffer %select{is allocated here|is returned by this "
           "call}0",
           DiagnosticIDs::Note)
          << (O.K == BufferOrigin::FunctionResult);
    else if (O.Var)
      diag(O.Var->getLocation(), "the retained buffer is owned by %0",
           DiagnosticIDs::Note)
          << O.Var;
    else
      diag(R.Owner->getBeginLoc(), "the retained buffer is owned here",
           DiagnosticIDs::Note);
    if (O.ViaHelper && O.Via.isValid())
      diag(O.Via,
           "%0, defined in another file, hands back its argument "
           "(project facts)",
           DiagnosticIDs::Note)
          << O.ViaHelper;
    else if (O.ViaHelper)
      diag(R.Owner->getBeginLoc(),
           "%0, defined in another file (%1), hands back its argument "
           "(project facts)",
           DiagnosticIDs::Note)
          << O.ViaHelper << O.ViaWhere;
    diag(S.loc(),
         "copy the part you need into a buffer of its own (e.g. "
         "%select{std::vector<T>(first, first + n) or std::string(view)) "
         "instead of sharing ownership of the whole buffer|"
         "g_bytes_new(data + offset, length)) so that the parent can be "
         "freed}0",
         DiagnosticIDs::Note)
        << (R.Form == SliceForm::SlicingCall);
  }
}

/// A base freed or kept on some paths only: where the block is allocated,
/// and the path (its branches, then its end) on which it is neither.
void RetainedSliceCheck::notePath(const RetainedBlock &R,
                                  const std::string &Base) {
  diag(R.Block.Alloc->getBeginLoc(),
       "the block is %select{allocated|handed over by this call}0 here; its "
       "base pointer '%1' is freed or kept on some paths only",
       DiagnosticIDs::Note)
      << (R.BaseField ? 1 : 0) << Base;
  unsigned Shown = 0;
  for (const leaklib::PathStep &St : R.Path->Steps) {
    if (St.K != leaklib::PathStep::Branch || Shown == 2)
      continue;
    ++Shown;
    diag(St.Loc, "%0", DiagnosticIDs::Note) << leaklib::describeStep(St);
  }
  const leaklib::PathStep *End = R.Path->leavingStep();
  diag(End ? End->Loc : R.Path->last().Loc,
       "on this path '%0' is neither freed nor kept: the slice keeps the "
       "whole block alive",
       DiagnosticIDs::Note)
      << Base;
}

void RetainedSliceCheck::report(const RetainedBlock &R) {
  for (const Sink &S : R.Sinks) {
    diag(S.loc(), "pointer into the middle of a heap block stored in "
                  "%select{|an element of }0%1 keeps the whole block alive "
                  "(%2)")
        << S.Storage.InContainer << cast<NamedDecl>(S.Storage.Root)
        << R.Block.Size.describe();
    noteProcessLocal(S);
    std::string Base = R.BaseField
                           ? getText(R.BaseField)
                           : (R.BaseVar ? R.BaseVar->getNameAsString() : "");
    if (!Base.empty() && R.Path)
      notePath(R, Base);
    else if (R.BaseField)
      diag(R.Block.Alloc->getBeginLoc(),
           "the block is handed over by this call in '%0', which is never "
           "freed nor kept",
           DiagnosticIDs::Note)
          << Base;
    else if (R.BaseVar)
      diag(R.Block.Alloc->getBeginLoc(),
           "the block is allocated here; its base pointer %0 is never freed "
           "nor kept",
           DiagnosticIDs::Note)
          << R.BaseVar;
    else
      diag(R.Block.Alloc->getBeginLoc(),
           "the block is allocated here and its base pointer is dropped",
           DiagnosticIDs::Note);
    diag(S.loc(),
         "copy the part you need into a block of its own (e.g. strndup, or "
         "malloc and memcpy) and free the whole block",
         DiagnosticIDs::Note);
  }
}

void RetainedSliceCheck::report(const RetainedCapacity &R) {
  const auto *D = cast<NamedDecl>(R.Container);
  diag(R.Cut->getBeginLoc(), "%0 is cut down here but keeps the capacity of a "
                             "large buffer (%1)")
      << D << R.Size.describe();
  diag(R.Fill->getBeginLoc(), "%0 takes a large buffer here",
       DiagnosticIDs::Note)
      << D;
  if (R.RunsOnce)
    diag(R.RunsOnce->getLocation(),
         "%0 runs once: nothing fills %1 again after the cut, so the "
         "capacity of that burst stays for good",
         DiagnosticIDs::Note)
        << R.RunsOnce << D;
  if (R.EarlyShrink)
    diag(R.EarlyShrink->getBeginLoc(),
         "this shrink runs before the cut, while the container still holds "
         "its elements: it frees nothing the cut drops",
         DiagnosticIDs::Note);
  if (isQtFamily(R.Family))
    diag(R.Cut->getBeginLoc(),
         "give the memory back with squeeze() after cutting it down",
         DiagnosticIDs::Note);
  else // not a %select: the braces of `{}` would end it
    diag(R.Cut->getBeginLoc(),
         "give the capacity back after cutting it down: call "
         "shrink_to_fit() or swap with an empty container (clear() and "
         "assigning {} keep it)",
         DiagnosticIDs::Note);
}

} // namespace clang::tidy::leak
