// Register exports (import, and later the server's export): the native format
// as YAML or JSON, ids of nested items included.
#include "blindspot/io.h"
#include "report/formats.h"

namespace blindspot::report_internal {

Result<std::string> RenderRegisterYaml(const OutputInput& in) { return WriteRegisterYaml(*in.reg); }
Result<std::string> RenderRegisterJson(const OutputInput& in) { return WriteRegisterJson(*in.reg); }

}  // namespace blindspot::report_internal
