# plain comment
// another plain comment
variable "url" { default = "https://example.com/#x // ai: string" }
locals {
  script = <<-EOT
    # prompt: inside a heredoc
  EOT
}
resource "null" "e" { tags = { icon = "🚀" } } # ai: add an S3 bucket for uploads
# with versioning enabled
/* @ai add outputs
   for the bucket arn */
