// The rule table: one line per rule. Each rule lives in its own file in this
// folder and exports a factory returning its metadata and check.
#include "audit/rule.h"

namespace blindspot::audit {

Rule BlindSpotRule();
Rule NotSeenRule();
Rule Art30FieldRule();
Rule LawfulBasisRule();
Rule LiaRule();
Rule ConsentRule();
Rule SpecialCategoryRule();
Rule ProcessorAgreementRule();
Rule TransferRule();
Rule JointControllerRule();
Rule RetentionRule();
Rule TomsRule();
Rule TouchpointQuestionRule();
Rule DpiaRule();
Rule UndeclaredSignalRule();
Rule UnknownProductRule();
Rule NotInUseButSeenRule();
Rule ProcessorRecordRule();

std::vector<Rule> RuleTable() {
  return {
      BlindSpotRule(),           // BS001
      NotSeenRule(),             // BS002
      Art30FieldRule(),          // BS003
      LawfulBasisRule(),         // BS004
      LiaRule(),                 // BS005
      ConsentRule(),             // BS006
      SpecialCategoryRule(),     // BS007
      ProcessorAgreementRule(),  // BS008
      TransferRule(),            // BS009
      JointControllerRule(),     // BS010
      RetentionRule(),           // BS011
      TomsRule(),                // BS012
      TouchpointQuestionRule(),  // BS013
      DpiaRule(),                // BS014
      UndeclaredSignalRule(),    // BS015
      UnknownProductRule(),      // BS016
      NotInUseButSeenRule(),     // BS017
      ProcessorRecordRule(),     // BS018
  };
}

}  // namespace blindspot::audit
