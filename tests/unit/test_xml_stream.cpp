// XmlStream, the hardened pull parser every XML part goes through: DOCTYPE refusal however the
// bytes arrive, attribute access, text limits.
#include "read/XmlStream.hpp"

#include <catch2/catch.hpp>

#include <algorithm>
#include <array>
#include <string>

using namespace planconv;

namespace {

// Hands out a string `chunk` bytes at a time, as a zip entry would in its own sizes.
class StringSource : public ByteSource {
public:
    StringSource(std::string text, std::size_t chunk) : text_(std::move(text)), chunk_(chunk) {}
    std::size_t read(char* buffer, std::size_t size) override {
        std::size_t n = std::min({size, chunk_, text_.size() - at_});
        std::copy_n(text_.data() + at_, n, buffer);
        at_ += n;
        return n;
    }

private:
    std::string text_;
    std::size_t chunk_;
    std::size_t at_ = 0;
};

// Reads the whole document; returns the error, or "" when it parsed.
std::string parse(const std::string& xml, std::size_t chunk = 4096) {
    StringSource source(xml, chunk);
    try {
        XmlStream stream(source, "xl/test.xml", 1 << 20);
        while (stream.next()) {
        }
    } catch (const ReadError& e) {
        return e.what();
    }
    return "";
}

const std::string kLaughs =
    "<!DOCTYPE t [<!ENTITY a \"aaaaaaaaaa\"><!ENTITY b \"&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;\">]><t>&b;</t>";

}  // namespace

TEST_CASE("a DOCTYPE is refused before libxml2 parses it, however the bytes arrive", "[reader][xml]") {
    for (std::size_t chunk : {1u, 3u, 7u, 4096u}) {
        INFO("chunks of " << chunk);
        CHECK_THAT(parse(kLaughs, chunk), Catch::Contains("document type declaration"));
        CHECK_THAT(parse("\xEF\xBB\xBF<?xml version=\"1.0\"?>\n<!-- a comment -->\n<?pi x?>" + kLaughs, chunk),
                   Catch::Contains("document type declaration"));
        CHECK(parse("<?xml version=\"1.0\"?><!-- <!DOCTYPE in a comment --><t>x</t>", chunk).empty());
    }
}

TEST_CASE("malformed and truncated XML name the part", "[reader][xml]") {
    CHECK_THAT(parse("<t><u></t>"), Catch::Contains("'xl/test.xml' is not well-formed XML"));
    CHECK_THAT(parse("<t><u a=\"1"), Catch::Contains("may be truncated"));
    CHECK_THAT(parse("<t>&undefined;</t>"), Catch::Contains("not well-formed"));
}

TEST_CASE("attributes by name, interned or not, with entity references joined", "[reader][xml]") {
    StringSource source("<c r=\"B7\" t=\"s\" x:s=\"3\" xmlns:x=\"urn:x\" note=\"a &amp; b\"/>", 4096);
    XmlStream xml(source, "xl/test.xml", 1 << 20);
    REQUIRE(xml.next());
    static constexpr std::array<std::string_view, 4> kNames{"s", "r", "missing", "note"};
    std::array<std::string_view, 4> v;
    CHECK(xml.attributes(kNames, v) == 3);
    CHECK(v[0] == "3");  // any namespace
    CHECK(v[1] == "B7");
    CHECK(v[2].empty());
    CHECK(v[3] == "a & b");
    const std::array<XmlStream::Name, 2> names{xml.intern("t"), xml.intern("r")};
    std::array<std::string_view, 2> w;
    CHECK(xml.attributes(names, w) == 2);
    CHECK(w[0] == "s");
    CHECK(w[1] == "B7");
    CHECK(xml.is_element(xml.intern("c")));
    CHECK_FALSE(xml.is_element(xml.intern("v")));
}

TEST_CASE("text longer than the limit is refused", "[reader][xml]") {
    StringSource source("<t>" + std::string(100, 'x') + "</t>", 4096);
    XmlStream xml(source, "xl/test.xml", 1 << 20);
    REQUIRE(xml.next());
    std::string text;
    CHECK_THROWS_WITH(xml.read_text(text, 50), Catch::Contains("more than 50 bytes"));
}

TEST_CASE("libxml2's multi-line messages become one line", "[reader][xml]") {
    // An invalid UTF-8 sequence: libxml2 says "Input is not proper UTF-8 ...\nBytes: 0xC3 0x28 ...".
    for (const std::string xml : {"<t>\xC3\x28</t>", "<?xml version=\"1.0\"?>\r\n<t>\r\n<u>ok \xFF\xFE</u></t>"}) {
        const std::string error = parse(xml);
        INFO(error);
        REQUIRE_FALSE(error.empty());
        CHECK_THAT(error, Catch::Contains("not well-formed XML") && Catch::Contains("Bytes: 0x"));
        CHECK(error.find('\n') == std::string::npos);
        CHECK(error.find('\r') == std::string::npos);
        CHECK(error.find("  ") == std::string::npos);
        CHECK(error.back() != ' ');
    }
}

namespace {

// Every node as "kind depth name [empty] =value", the document handed over `chunk` bytes at a time.
std::vector<std::string> nodes(const std::string& xml, std::size_t chunk) {
    StringSource source(xml, chunk);
    XmlStream stream(source, "xl/test.xml", 1 << 20);
    std::vector<std::string> out;
    while (stream.next()) {
        std::string n;
        switch (stream.node()) {
        case XmlStream::Node::Element: n = "start"; break;
        case XmlStream::Node::EndElement: n = "end"; break;
        case XmlStream::Node::Text: n = "text"; break;
        case XmlStream::Node::Other: n = "other"; break;
        }
        n += " " + std::to_string(stream.depth()) + " " + std::string(stream.local_name());
        if (stream.is_empty_element()) n += " empty";
        if (stream.node() == XmlStream::Node::Text) n += " =" + std::string(stream.value());
        stream.attributes([&](std::string_view name, std::string_view ns, std::string_view v) {
            n += " " + std::string(name) + (ns.empty() ? "" : "{" + std::string(ns) + "}") + "=" + std::string(v);
        });
        out.push_back(n);
    }
    return out;
}

}  // namespace

TEST_CASE("nodes are the same however the bytes arrive: texts whole, empty elements one node", "[reader][xml]") {
    const std::string xml = "<?xml version=\"1.0\"?>\n<s xmlns=\"urn:s\" xmlns:x=\"urn:x\"><c r=\"A1\" x:t=\"a &amp; b &#38; &lt;c&gt;\"/>"
                            "<c></c><c> </c><v>" + std::string(300, 'y') + "&amp;z<![CDATA[<q>]]></v><!-- note --><?pi x?></s>";
    const std::vector<std::string> want = {
        "start 0 s",
        "start 1 c empty r=A1 t{urn:x}=a & b & <c>",
        "start 1 c empty",
        "start 1 c",
        "text 2  = ",
        "end 1 c",
        "start 1 v",
        "text 2  =" + std::string(300, 'y') + "&z<q>",
        "end 1 v",
        "end 0 s",
    };
    for (std::size_t chunk : {1u, 2u, 5u, 64u, 4096u}) {
        INFO("chunks of " << chunk);
        CHECK(nodes(xml, chunk) == want);
    }
    StringSource source(xml, 3);
    XmlStream stream(source, "xl/test.xml", 1 << 20);
    REQUIRE(stream.next());
    CHECK(stream.namespace_uri() == "urn:s");
    const XmlStream::Name c = stream.intern("c");
    int seen = 0;
    while (stream.next()) seen += stream.is_element(c);
    CHECK(seen == 3);
}

TEST_CASE("nesting past libxml2's bound and a text past its bound are refused", "[reader][xml]") {
    std::string deep;
    for (int i = 0; i < 300; ++i) deep += "<d>";
    CHECK_THAT(parse(deep), Catch::Contains("is not well-formed XML") && Catch::Contains("nested more than 256 deep"));
    std::string fine;
    for (int i = 0; i < 200; ++i) fine += "<d>";
    for (int i = 0; i < 200; ++i) fine += "</d>";
    CHECK(parse(fine).empty());
    CHECK_THAT(parse("<t>" + std::string(10'000'001, 'x') + "</t>", 1 << 16), Catch::Contains("a text of more than 10,000,000 bytes"));
}

TEST_CASE("a part in another encoding is read as UTF-8, as its declaration or byte-order mark says", "[reader][xml]") {
    const std::string latin1 = "<?xml version=\"1.0\" encoding=\"ISO-8859-1\"?><t a=\"\xE9\">caf\xE9</t>";
    std::string utf16 = "\xFF\xFE";  // UTF-16LE with its byte-order mark
    for (char c : std::string("<?xml version=\"1.0\" encoding=\"UTF-16\"?><t a=\"x\">caf")) {
        utf16 += c;
        utf16 += '\0';
    }
    utf16 += "\xE9";
    utf16 += '\0';
    for (char c : std::string("</t>")) {
        utf16 += c;
        utf16 += '\0';
    }
    for (std::size_t chunk : {1u, 4096u}) {
        INFO("chunks of " << chunk);
        CHECK(nodes(latin1, chunk) == std::vector<std::string>{"start 0 t a=\u00e9", "text 1  =caf\u00e9", "end 0 t"});
        CHECK(nodes(utf16, chunk) == std::vector<std::string>{"start 0 t a=x", "text 1  =caf\u00e9", "end 0 t"});
    }
}

TEST_CASE("a stream asked about its node before the first next() has none", "[reader][xml]") {
    StringSource source("<t a=\"1\">x</t>", 4096);
    XmlStream xml(source, "xl/test.xml", 1 << 20);
    CHECK(xml.node() == XmlStream::Node::Other);
    CHECK(xml.local_name().empty());
    CHECK(xml.value().empty());
    CHECK(xml.depth() == 0);
    CHECK_FALSE(xml.is_empty_element());
    CHECK(xml.attribute("a").empty());
    REQUIRE(xml.next());
    CHECK(xml.attribute("a") == "1");
}
