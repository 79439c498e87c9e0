// Rendering of the server's HTML pages (pages.cc): texts from
// data/server/ui.yaml, templates from data/server/templates/. Not public.
#pragma once
#include <kainjow/mustache.hpp>
#include <map>
#include <string>
#include <vector>

#include "internal.h"

namespace blindspot::http {

// The text of `key` in `lang` (English when the language lacks it; the key itself when unknown).
std::string Ui(const std::string& lang, const std::string& key);
// lang -> key -> text (for the completeness test).
const std::map<std::string, std::map<std::string, std::string>>& UiTextTable();
// All texts of `lang` as a mustache object ({{t.key}}).
kainjow::mustache::data TextData(const std::string& lang);
// Renders data/server/templates/NAME.html.mustache (values escaped).
std::string RenderTemplate(const std::string& name, const kainjow::mustache::data& data);
// Renders a template inside the layout (title, the user, the logout form's CSRF token) and sends it.
void SendPage(Ctx& c, int status, const std::string& title, const std::string& template_name,
              kainjow::mustache::data data);

// The error page of `status` in the reader's language, inside the layout: a
// title per status, a sentence per stable error `code` (ErrorCode), the
// English `details` and `hint` below it (when not empty) and a link back.
void SendErrorPage(Ctx& c, int status, std::string_view code, const std::string& details,
                   const std::string& hint);

// The QR code of `text` as an SVG document (libqrencode); `modules` (may be
// null) receives its width in modules, quiet zone included. Empty when the
// text cannot be encoded.
std::string QrSvg(const std::string& text, int* modules);

// The pages inside an organisation (org_pages.cc).
std::vector<RouteHandler> OrgPageRoutes();

}  // namespace blindspot::http
